# cdrsim-mock as a container: built from this checkout on Debian 12, run as a non-root user,
# listening on 0.0.0.0:8080. Arguments go to cdrsim-mock:
#   docker run --rm -p 8080:8080 cdrsim [--variant itnio.status_type=string ...]
# On a network others share, add --admin-token T (and -e CDRSIM_ADMIN_TOKEN=T for the health check)
# so only you can reset the mock or move its clock.

FROM debian:12-slim AS build
RUN apt-get update -q \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      gcc libc6-dev make cmake pkg-config \
      libmicrohttpd-dev libcjson-dev libssl-dev libcurl4-openssl-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release -DCDRSIM_BUILD_TESTS=OFF \
      -DCDRSIM_BUILD_BENCH=OFF -DCMAKE_INSTALL_PREFIX=/usr/local \
 && cmake --build /build -j"$(nproc)" \
 && DESTDIR=/stage cmake --install /build --strip

FROM debian:12-slim
# The runtime libraries only (and curl, for the health check).
RUN apt-get update -q \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      libmicrohttpd12 libcjson1 libssl3 libcurl4 ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin cdrsim
COPY --from=build /stage/usr/local/ /usr/local/
RUN ldconfig
USER 10001:10001
EXPOSE 8080
# With --admin-token T the health check needs the token too: pass it as CDRSIM_ADMIN_TOKEN as well.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD curl -fsS ${CDRSIM_ADMIN_TOKEN:+-H "Authorization: Bearer $CDRSIM_ADMIN_TOKEN"} \
      http://127.0.0.1:8080/__cdrsim/health >/dev/null || exit 1
ENTRYPOINT ["cdrsim-mock", "--bind", "0.0.0.0", "--port", "8080"]
