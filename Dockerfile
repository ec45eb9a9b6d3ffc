# syntax=docker/dockerfile:1
# Multi-stage build of harrastuspassi: a Rust build stage, then a small Debian runtime
# running as a non-root user.
#   docker build -t harrastuspassi .
#   docker run -p 8000:8000 -e DATABASE_URL=postgres://… harrastuspassi

FROM rust:1.95-bookworm AS build
WORKDIR /src
# Dependencies first, so that source changes do not rebuild them.
COPY Cargo.toml Cargo.lock ./
COPY .cargo .cargo
COPY crates crates
RUN cargo build --release --locked -p harrastuspassi \
 && cp target/release/harrastuspassi /harrastuspassi \
 && strip /harrastuspassi

FROM debian:bookworm-slim
# CA certificates for S3 and geocoding over https; nothing else is needed (rustls, bundled SQLite).
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/harrastuspassi --create-home harrastuspassi
COPY --from=build /harrastuspassi /usr/local/bin/harrastuspassi
USER 10001:10001
WORKDIR /var/lib/harrastuspassi
ENV HARRASTUSPASSI_HOST=0.0.0.0 \
    HARRASTUSPASSI_PORT=8000 \
    HARRASTUSPASSI_DATA_DIR=/var/lib/harrastuspassi/data \
    HARRASTUSPASSI_LOG_FORMAT=json
VOLUME ["/var/lib/harrastuspassi/data"]
EXPOSE 8000
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/harrastuspassi"]
CMD ["serve"]
