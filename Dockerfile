# quoteframe REST service: `quoteframe serve` with the default model built in.
#
#   docker build -t quoteframe .
#   docker run --rm -p 8000:8000 -v quoteframe-data:/data -e QUOTEFRAME_API_TOKEN=change-me quoteframe
#
# Stages: deps (the virtual environment, from pyproject.toml only, so code
# changes reuse it), model (trains the default model from the bundled data),
# runtime (slim, non-root, the venv + the code + the model).

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# -- deps: third-party packages only ------------------------------------------------------
FROM ${PYTHON_IMAGE} AS deps
# torch is pinned (pyproject.toml); the CPU build keeps the image small.
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY pyproject.toml ./
RUN pip install --no-cache-dir --index-url "${TORCH_INDEX_URL}" torch==2.13.0 \
 && python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
      > /tmp/requirements.txt \
 && pip install --no-cache-dir -r /tmp/requirements.txt

# -- build: the project itself into the venv --------------------------------------------------
FROM deps AS build
COPY README.md ./
COPY quoteframe quoteframe
COPY service service
COPY training training
RUN pip install --no-cache-dir --no-deps .

# -- model: the default model, trained from the bundled labelled quotes -------------------------
FROM build AS model
ENV QUOTEFRAME_DEFAULT_MODEL=/opt/quoteframe/models/quoteframe-default HF_HUB_OFFLINE=1
# Run from the source tree, where training/data is.
RUN PYTHONPATH=/src quoteframe train --default

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
