# syntax=docker/dockerfile:1
# quoteframe REST service: `quoteframe serve` with the default model built in.
#
#   docker build -t quoteframe .
#   docker run --rm -p 8000:8000 -v quoteframe-data:/data -e QUOTEFRAME_API_TOKEN=change-me quoteframe
#
# The service listens on 0.0.0.0 in the container, so it needs a token: `quoteframe serve` reads
# it from QUOTEFRAME_API_TOKEN (service/settings.py) and refuses a non-loopback host without one.
#
# Stages: deps (the virtual environment, from pyproject.toml only, so code changes reuse it),
# build (the project into the venv), model (the default model, trained from the bundled data at
# build time), runtime (non-root: the venv + the model).
#
# Build arguments and named contexts (all optional):
#   --build-arg PYTHON_IMAGE=IMAGE          a Debian-based image whose `python` is Python 3.11 with
#                                           venv (bench/build_image.sh builds one with debootstrap)
#   --build-arg TORCH_INDEX_URL=URL         where torch comes from (default: the PyTorch CPU index)
#   --build-context torch-wheels=DIR        a folder holding the torch wheel, used instead of the index
#   --build-context default-model=DIR       a trained model folder (quoteframe train --out DIR),
#                                           copied instead of training one (saves ~5 min on 2 cores)
#   --secret id=pip-cert,src=CA_BUNDLE --build-arg PIP_CERT=/run/secrets/pip-cert
#                                           behind a TLS-intercepting proxy: the CA bundle pip trusts,
#                                           seen by the install steps only, never stored in the image

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# -- empty unless replaced by a named build context (see above) -------------------------------
FROM scratch AS torch-wheels
FROM scratch AS default-model

# -- deps: third-party packages only ------------------------------------------------------
FROM ${PYTHON_IMAGE} AS deps
# torch is pinned (pyproject.toml); the CPU build keeps the image small.
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
ARG PIP_CERT
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY pyproject.toml ./
# torch first, from the wheel folder when one was given (no index needed), else from the CPU index;
# then the other dependencies from PyPI, which keep the CPU torch already there.
RUN --mount=type=bind,from=torch-wheels,target=/wheels --mount=type=secret,id=pip-cert \
    python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
      > /tmp/requirements.txt \
 && grep -E '^torch([=<>~! ]|$)' /tmp/requirements.txt > /tmp/torch.txt \
 && if [ -n "$(find /wheels -maxdepth 1 -name 'torch-*.whl')" ]; then \
      pip install --no-cache-dir --no-index --find-links /wheels --no-deps -r /tmp/torch.txt; \
    else \
      pip install --no-cache-dir --index-url "${TORCH_INDEX_URL}" -r /tmp/torch.txt; \
    fi \
 && pip install --no-cache-dir -r /tmp/requirements.txt \
 && pip check

# -- build: the project itself into the venv --------------------------------------------------
FROM deps AS build
ARG PIP_CERT
COPY README.md ./
COPY quoteframe quoteframe
COPY service service
COPY training training
RUN --mount=type=secret,id=pip-cert pip install --no-cache-dir --no-deps .

# -- model: the default model, trained from the bundled labelled quotes (or the one given) --------
FROM build AS model
ENV QUOTEFRAME_DEFAULT_MODEL=/opt/quoteframe/models/quoteframe-default HF_HUB_OFFLINE=1
# COPY, not a bind mount: a layer cache that keys a RUN on its text alone (buildah's) would
# otherwise reuse the layer of another model; COPY's key is the files' content.
COPY --from=default-model / /given/
# Training runs from the source tree, where training/data is. The model files are written
# owner-only (0600); the service runs as another user, so they are made world-readable.
RUN if [ -f /given/config.json ]; then \
      mkdir -p "${QUOTEFRAME_DEFAULT_MODEL}" && cp -R /given/. "${QUOTEFRAME_DEFAULT_MODEL}/"; \
    elif [ -n "$(ls -A /given)" ]; then \
      echo "the default-model build context has no config.json: pass a model folder (quoteframe train --out DIR)" >&2; \
      exit 2; \
    else \
      PYTHONPATH=/src quoteframe train --default; \
    fi \
 && chmod -R a+rX /opt/quoteframe/models

# -- runtime -----------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --gid 10001 quoteframe \
 && useradd --create-home --uid 10001 --gid 10001 quoteframe \
 && mkdir -p /data \
 && chown 10001:10001 /data
COPY --from=build /opt/venv /opt/venv
COPY --from=model /opt/quoteframe/models /opt/quoteframe/models
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    QUOTEFRAME_DEFAULT_MODEL=/opt/quoteframe/models/quoteframe-default \
    QUOTEFRAME_MODEL=/opt/quoteframe/models/quoteframe-default \
    QUOTEFRAME_HOST=0.0.0.0 \
    QUOTEFRAME_PORT=8000 \
    QUOTEFRAME_FEEDBACK_DB=/data/feedback.db
VOLUME ["/data"]
USER 10001:10001
WORKDIR /home/quoteframe
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 CMD ["python", "-m", "service.healthcheck"]
ENTRYPOINT ["quoteframe", "serve"]
