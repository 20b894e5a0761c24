# syntax=docker/dockerfile:1
# Sentinel: a slim, non-root image. Build and run:
#   docker build -t sentinel .
#   docker run -v $PWD/sentinel.yaml:/etc/sentinel/sentinel.yaml:ro \
#              -v sentinel-data:/var/lib/sentinel -p 8080:8080 sentinel
# The config must make the server listen beyond loopback (server.host: 0.0.0.0)
# for the port mapping and Prometheus to reach it. Any subcommand works too:
#   docker run --rm -v $PWD/sentinel.yaml:/etc/sentinel/sentinel.yaml:ro sentinel check --config /etc/sentinel/sentinel.yaml

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/sentinel
COPY pyproject.toml README.md LICENSE ./
COPY sentinel ./sentinel
# The shipped rule packs (data, not code): pip installs them under /opt/sentinel/share/sentinel/rules.
COPY rules ./rules
RUN /opt/sentinel/bin/pip install . \
 && /opt/sentinel/bin/python -m compileall -q /opt/sentinel

FROM ${PYTHON_IMAGE}
LABEL org.opencontainers.image.title="Sentinel" \
      org.opencontainers.image.description="Always-on monitor for companies' social-media pages" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV PATH=/opt/sentinel/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    SENTINEL_HEALTHCHECK_URL=http://127.0.0.1:8080/healthz
RUN groupadd --system --gid 10001 sentinel \
 && useradd --system --uid 10001 --gid sentinel --home-dir /var/lib/sentinel --no-create-home \
            --shell /usr/sbin/nologin sentinel \
 && install -d -o sentinel -g sentinel -m 0750 /var/lib/sentinel \
 && install -d -m 0755 /etc/sentinel
COPY --from=build /opt/sentinel /opt/sentinel
COPY LICENSE /usr/share/doc/sentinel/LICENSE

USER 10001:10001
WORKDIR /var/lib/sentinel
VOLUME ["/var/lib/sentinel"]
EXPOSE 8080
STOPSIGNAL SIGTERM
# No curl in a slim image: Python does the probe. Set SENTINEL_HEALTHCHECK_URL
# when server.port is not 8080.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(os.environ['SENTINEL_HEALTHCHECK_URL'], timeout=4)"]

ENTRYPOINT ["sentinel"]
CMD ["run", "--config", "/etc/sentinel/sentinel.yaml"]
