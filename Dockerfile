# learn_app as one image: the supervisor (`python -m learn_app.cli run`) serving the compiled
# frontend on 8000 and the backend workers on 5000. The frontend is built here, at image build
# time, for the backend address browsers will use (API_URL); a container started with another
# LEARN_API_URL needs an image built with it.
#
#   podman build -t learn-app .                      # or: docker build -t learn-app .
#   podman build --build-arg BASE_IMAGE=localhost/debian:bookworm -t learn-app .
#
# BASE_IMAGE: any Debian 12 image (the default from a registry, or one made with debootstrap
# and `podman import` where registries cannot be reached).
ARG BASE_IMAGE=docker.io/library/debian:bookworm-slim

FROM ${BASE_IMAGE} AS runtime-base
ENV DEBIAN_FRONTEND=noninteractive \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
# Python 3.11, espeak-ng for spoken words, redis-server for several workers without an
# external Redis; tini reaps and forwards signals as PID 1.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv ca-certificates \
        espeak-ng redis-server tini \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10001 learn

FROM runtime-base AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends npm unzip \
 && rm -rf /var/lib/apt/lists/*
# EXTRA_CA_CERT: a CA bundle mounted into the build (`--volume`) for a network behind a TLS
# proxy; pip, npm and bun then trust it beside Debian's own certificates.
ARG EXTRA_CA_CERT=
RUN if [ -n "$EXTRA_CA_CERT" ]; then cat "$EXTRA_CA_CERT" >> /etc/ssl/certs/ca-certificates.crt; fi
ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
WORKDIR /app
# PIP_FIND_LINKS: a folder of wheels mounted into the build (`--volume`), for offline builds.
ARG PIP_FIND_LINKS=
ENV PIP_FIND_LINKS=${PIP_FIND_LINKS} PIP_DISABLE_PIP_VERSION_CHECK=1
COPY pyproject.toml README.md ./
COPY learn_app learn_app
RUN python3 -m venv /app/.venv \
 && /app/.venv/bin/pip install --no-cache-dir .
# bun builds the frontend (from the npm registry, as `make run` installs it).
RUN mkdir -p /app/.tools \
 && printf '{"name": "learn-app-tools", "private": true}\n' > /app/.tools/package.json \
 && cd /app/.tools && npm install --silent --no-audit --no-fund bun@1.4.5
COPY rxconfig.py alembic.ini ./
COPY alembic alembic
COPY assets assets
COPY content content
COPY reflex.lock reflex.lock
ARG API_URL=http://localhost:5000
ENV PATH=/app/.tools/node_modules/.bin:$PATH \
    REFLEX_USE_SYSTEM_BUN=1 REFLEX_TELEMETRY_ENABLED=false HF_HUB_OFFLINE=1 \
    LEARN_API_URL=${API_URL} LEARN_FRONTEND_BUILDS_DIR=/app/frontend-builds
RUN /app/.venv/bin/python -m learn_app.cli build-frontend
# The built files stay; the build's packages do not (the backend only reads web/backend/).
# The build writes its files for its own user only (umask 077); the `learn` user reads them.
RUN rm -rf /app/frontend-builds/web/node_modules /app/frontend-builds/web/build \
 && chmod -R a+rX /app/frontend-builds

FROM runtime-base
WORKDIR /app
COPY --from=build /app/.venv /app/.venv
COPY --from=build /app/frontend-builds /app/frontend-builds
COPY --from=build /app/learn_app /app/learn_app
COPY --from=build /app/rxconfig.py /app/alembic.ini /app/
COPY --from=build /app/alembic /app/alembic
COPY --from=build /app/assets /app/assets
COPY --from=build /app/content /app/content
ARG API_URL=http://localhost:5000
ENV PATH=/app/.venv/bin:$PATH \
    REFLEX_TELEMETRY_ENABLED=false HAYSTACK_TELEMETRY_ENABLED=False HF_HUB_OFFLINE=1 \
    LEARN_API_URL=${API_URL} \
    LEARN_FRONTEND_BUILDS_DIR=/app/frontend-builds \
    LEARN_DATA_DIR=/var/lib/learn_app \
    REFLEX_STATES_WORKDIR=/var/lib/learn_app/states \
    REFLEX_UPLOADED_FILES_DIR=/var/lib/learn_app/uploaded_files \
    XDG_RUNTIME_DIR=/tmp/learn-app-runtime
# Everything the portal writes lives in the volume: the embedded database, the signing secret,
# Reflex's per-browser state (one worker keeps it on disk) and uploaded files.
RUN mkdir -p /var/lib/learn_app /app/.web \
 && mkdir -m 700 /tmp/learn-app-runtime \
 && chown -R learn /var/lib/learn_app /app/.web /app/frontend-builds/web /tmp/learn-app-runtime
USER learn
VOLUME /var/lib/learn_app
EXPOSE 8000 5000
HEALTHCHECK --interval=30s --timeout=5s --start-period=180s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5000/ready', timeout=4)"
ENTRYPOINT ["tini", "--"]
CMD ["python", "-m", "learn_app.cli", "run"]
