# The Pantau Hub application image: one image for the API (`pantau serve`), the Celery worker (`pantau worker`)
# and the scheduler (`pantau scheduler`). See docker-compose.yml and infra/docker/README.md.
#
# Stage `build` resolves the locked dependencies (uv.lock) into a virtual environment with uv; the runtime
# stage copies that environment onto a clean slim image with Tesseract OCR (Indonesian) and runs as a non-root
# user. Build: `docker compose build` (or `docker build -t pantau-hub:0.1.0 .`).

ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm
ARG UV_IMAGE=ghcr.io/astral-sh/uv:0.13.9

FROM ${UV_IMAGE} AS uv

# ---------------------------------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS build

COPY --from=uv /uv /uvx /usr/local/bin/

# Compile bytecode now (the runtime user cannot write it later), copy instead of hard-linking from the cache
# mount, use the image's Python and never download one, and build the environment where it will run.
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3 \
    UV_PROJECT_ENVIRONMENT=/app/.venv

WORKDIR /src

# Dependencies first, from the lock file alone: this layer is rebuilt only when the lock changes.
RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
    --mount=type=bind,source=uv.lock,target=uv.lock \
    uv sync --frozen --no-dev --no-install-project

# Then the project itself, installed as a regular (non-editable) package so /src is not needed at run time.
COPY . /src
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable

# ---------------------------------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

# OCR of scanned documents: Tesseract with the Indonesian model (English comes with tesseract-ocr), and
# Poppler's pdftoppm to render PDF pages that have no text layer.
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-ind poppler-utils; \
    rm -rf /var/lib/apt/lists/*; \
    tesseract --list-langs 2>&1 | grep -qx ind; \
    command -v pdftoppm

# An unprivileged user; its home is the working directory, the only place the app may write to
# (e.g. Celery beat's schedule file). The code and the virtual environment stay owned by root.
RUN set -eux; \
    groupadd --system --gid 10001 pantau; \
    useradd --system --uid 10001 --gid pantau --home-dir /var/lib/pantau --create-home \
        --shell /usr/sbin/nologin pantau

COPY --from=build /app/.venv /app/.venv

ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1

WORKDIR /var/lib/pantau
USER pantau:pantau

EXPOSE 8000

ENTRYPOINT ["pantau"]
CMD ["serve"]
