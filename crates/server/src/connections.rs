//! The service's connections: accepting them, the limits that keep idle or trickling clients
//! from holding the process's file descriptors, and closing them at shutdown.
//!
//! - A request head must arrive within the header read timeout (hyper's, which also starts
//!   when a kept-alive connection goes idle), and may hold at most `max_header_bytes`.
//! - A connection with no request in progress and no bytes moving for the keep-alive timeout
//!   is closed.
//! - At most `max_connections` are open. At the cap, the connection idle the longest is
//!   closed to make room, so that a new client (a health check, an app) is still answered
//!   while thousands of idle sockets are open; only when every connection is busy is a new one
//!   answered 503 at once.
//!
//! HTTP/1.1 only: TLS ends at the load balancer, which speaks HTTP/1.1 to its backends.

use axum::extract::{ConnectInfo, Request};
use axum::response::Response;
use axum::serve::Listener;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::convert::Infallible;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::Notify;
use tower::ServiceExt;

/// Limits of connections.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    pub max_connections: usize,
    pub header_read_timeout: Duration,
    pub keep_alive_timeout: Duration,
    pub max_header_bytes: usize,
    /// How long requests in flight may take to finish at shutdown.
    pub shutdown_grace: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            max_connections: 10_000,
            header_read_timeout: Duration::from_secs(10),
            keep_alive_timeout: Duration::from_secs(5),
            max_header_bytes: 64 * 1024,
            shutdown_grace: Duration::from_secs(30),
        }
    }
}

/// Time for a connection told to close to finish what it is writing.
const CLOSE_GRACE: Duration = Duration::from_secs(1);

/// What the server knows of one open connection.
struct Tracked {
    /// Requests being handled.
    busy: AtomicUsize,
    /// When bytes last moved, in milliseconds since the server started.
    last_active: AtomicU64,
    close: Notify,
}

/// The open connections.
struct Registry {
    started: Instant,
    /// The server is shutting down: connections told to close get the shutdown's grace.
    stopping: AtomicBool,
    next_id: AtomicU64,
    open: Mutex<HashMap<u64, Arc<Tracked>>>,
}

impl Registry {
    fn now_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    fn open(&self) -> MutexGuard<'_> {
        self.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn add(&self) -> (u64, Arc<Tracked>) {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let tracked = Arc::new(Tracked {
            busy: AtomicUsize::new(0),
            last_active: AtomicU64::new(self.now_ms()),
            close: Notify::new(),
        });
        self.open().insert(id, tracked.clone());
        (id, tracked)
    }

    fn remove(&self, id: u64) {
        self.open().remove(&id);
    }

    fn count(&self) -> usize {
        self.open().len()
    }

    /// Tells the connection idle the longest to close; false when every one is busy.
    fn evict_one(&self) -> bool {
        let open = self.open();
        let idle = open
            .values()
            .filter(|t| t.busy.load(Ordering::Acquire) == 0)
            .min_by_key(|t| t.last_active.load(Ordering::Relaxed));
        match idle {
            Some(tracked) => {
                tracked.close.notify_one();
                true
            }
            None => false,
        }
    }

    /// Tells the connections idle for longer than `timeout` to close.
    fn close_idle(&self, timeout: Duration) {
        let now = self.now_ms();
        let limit = timeout.as_millis() as u64;
        for tracked in self.open().values() {
            let idle = now.saturating_sub(tracked.last_active.load(Ordering::Relaxed));
            if tracked.busy.load(Ordering::Acquire) == 0 && idle > limit {
                tracked.close.notify_one();
            }
        }
    }

    fn close_all(&self) {
        for tracked in self.open().values() {
            tracked.close.notify_one();
        }
    }
}

type MutexGuard<'a> = std::sync::MutexGuard<'a, HashMap<u64, Arc<Tracked>>>;

/// A TCP stream that notes when bytes move.
struct ActivityStream {
    inner: TcpStream,
    tracked: Arc<Tracked>,
    registry: Arc<Registry>,
}

impl ActivityStream {
    fn touch(&self) {
        self.tracked.last_active.store(self.registry.now_ms(), Ordering::Relaxed);
    }
}

impl AsyncRead for ActivityStream {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let result = Pin::new(&mut this.inner).poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.touch();
        }
        result
    }
}

impl AsyncWrite for ActivityStream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.inner).poll_write(cx, data);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            this.touch();
        }
        result
    }

    // Vectored writes as the bare socket does them: without these hyper copies every body
    // into one buffer first.
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buffers: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.inner).poll_write_vectored(cx, buffers);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            this.touch();
        }
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// Counts a request as in progress while it is handled.
struct BusyGuard(Arc<Tracked>);

impl BusyGuard {
    fn new(tracked: &Arc<Tracked>) -> Self {
        tracked.busy.fetch_add(1, Ordering::AcqRel);
        Self(tracked.clone())
    }
}

impl Drop for BusyGuard {
    fn drop(&mut self) {
        self.0.busy.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The answer to a connection over the cap when none can be closed: written without waiting
/// (the socket's buffer takes it), then the socket is closed.
const BUSY_RESPONSE: &[u8] =
    b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

/// Serves `router` on the listener until `shutdown` completes; then stops accepting, tells
/// every connection to finish (requests in flight complete, idle ones close) and waits for
/// them, at most `limits.shutdown_grace`.
pub async fn serve<S>(
    mut listener: crate::shutdown::DrainingListener,
    router: S,
    limits: ConnectionLimits,
    stopped: impl std::future::Future<Output = ()> + Send + 'static,
) -> io::Result<()>
where
    S: tower::Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    let registry = Arc::new(Registry {
        started: Instant::now(),
        stopping: AtomicBool::new(false),
        next_id: AtomicU64::new(0),
        open: Mutex::new(HashMap::new()),
    });
    let watchdog = tokio::spawn(close_idle_connections(registry.clone(), limits.keep_alive_timeout));
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        // The read and write buffers of each connection: hyper's default (~400 kB) times the
        // connection cap would let pipelined requests that are never read take gigabytes.
        .max_buf_size(limits.max_header_bytes.max(8192))
        .max_header_size(limits.max_header_bytes);
    let builder = Arc::new(builder);
    tokio::pin!(stopped);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut stopped => break,
        };
        if registry.count() >= limits.max_connections && !registry.evict_one() {
            let _ = stream.try_write(BUSY_RESPONSE);
            continue;
        }
        let (id, tracked) = registry.add();
        let io = TokioIo::new(ActivityStream { inner: stream, tracked: tracked.clone(), registry: registry.clone() });
        let service = {
            let tracked = tracked.clone();
            let router = router.clone();
            hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
                let busy = BusyGuard::new(&tracked);
                let mut request = request.map(axum::body::Body::new);
                request.extensions_mut().insert(ConnectInfo(peer));
                let router = router.clone();
                async move {
                    let response = router.oneshot(request).await;
                    drop(busy);
                    response
                }
            })
        };
        let builder = builder.clone();
        let registry = registry.clone();
        let grace = limits.shutdown_grace;
        tokio::spawn(async move {
            let connection = builder.serve_connection(io, service);
            tokio::pin!(connection);
            let told_to_close = tokio::select! {
                _ = connection.as_mut() => false,
                () = tracked.close.notified() => true,
            };
            if told_to_close {
                // Idle ones close at once; a request in progress may finish.
                connection.as_mut().graceful_shutdown();
                let within = if registry.stopping.load(Ordering::Acquire) { grace } else { CLOSE_GRACE };
                let _ = tokio::time::timeout(within, connection).await;
            }
            registry.remove(id);
        });
    }
    watchdog.abort();
    registry.stopping.store(true, Ordering::Release);
    registry.close_all();
    let deadline = Instant::now() + limits.shutdown_grace + CLOSE_GRACE;
    while registry.count() > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

async fn close_idle_connections(registry: Arc<Registry>, timeout: Duration) {
    let period = (timeout / 4).clamp(Duration::from_millis(100), Duration::from_secs(1));
    loop {
        tokio::time::sleep(period).await;
        registry.close_idle(timeout);
    }
}

/// Raises the process's open-file limit to its hard limit and returns the connection cap that
/// fits in it (leaving room for database connections, files and the listener).
pub fn fit_connection_cap(wanted: usize) -> usize {
    const RESERVED: u64 = 256;
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) if limit > RESERVED => {
            let fits = (limit - RESERVED) as usize;
            if fits < wanted {
                tracing::warn!(wanted, fits, "the open-file limit allows fewer connections than configured");
            }
            wanted.min(fits)
        }
        Ok(limit) => {
            tracing::warn!(limit, "the open-file limit is very low");
            wanted.min(limit as usize / 2).max(1)
        }
        Err(error) => {
            tracing::warn!(%error, "cannot read the open-file limit");
            wanted
        }
    }
}
