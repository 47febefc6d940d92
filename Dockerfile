# Multi-stage build: compile with the Rust toolchain, ship a small Debian
# runtime that runs as an unprivileged user.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src src
COPY migrations migrations
COPY bench bench
RUN cargo build --release --locked --bin backroom

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data --create-home backroom
COPY --from=build /src/target/release/backroom /usr/local/bin/backroom
USER backroom
WORKDIR /data
ENV PORT=8080 HOST=0.0.0.0 DATABASE_URL=sqlite:///data/backroom.db LOG_FORMAT=json
EXPOSE 8080
ENTRYPOINT ["backroom"]
CMD ["serve"]
