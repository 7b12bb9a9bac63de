"""The package version, in a module of its own: modules the package's ``__init__`` imports
(lazily or not) read it from here, so that no import goes back up to the package."""
__version__ = "0.1.0"
