//! Graceful shutdown that loses no accepted request. On the signal the listening socket
//! first hands over every connection already waiting in its backlog and is then closed, so
//! new connections are refused at once (a load balancer moves on) instead of being reset
//! later; the handed-over connections get a moment to send their requests; only then are
//! connections told to finish: requests in flight complete, idle keep-alive connections close.

use futures::FutureExt;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, watch};

/// Time for connections taken from the backlog to send their request before connections
/// without a request in progress are closed.
const SETTLE: Duration = Duration::from_millis(500);

/// A TCP listener that drains its backlog and closes itself when told to stop.
pub struct DrainingListener {
    listener: Option<TcpListener>,
    address: SocketAddr,
    stop: watch::Receiver<bool>,
    stopping: bool,
    drained: Option<oneshot::Sender<()>>,
}

impl DrainingListener {
    fn new(listener: TcpListener, stop: watch::Receiver<bool>, drained: oneshot::Sender<()>) -> std::io::Result<Self> {
        let address = listener.local_addr()?;
        Ok(Self { listener: Some(listener), address, stop, stopping: false, drained: Some(drained) })
    }
}

impl axum::serve::Listener for DrainingListener {
    type Io = TcpStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (TcpStream, SocketAddr) {
        loop {
            let Some(listener) = self.listener.as_ref() else {
                return std::future::pending().await;
            };
            if self.stopping {
                // Poll once: ready connections are in the backlog; pending means it is empty.
                match listener.accept().now_or_never() {
                    Some(Ok(connection)) => return connection,
                    Some(Err(error)) => tracing::debug!(%error, "a waiting connection failed"),
                    None => {
                        self.listener = None;
                        if let Some(drained) = self.drained.take() {
                            let _ = drained.send(());
                        }
                    }
                }
                continue;
            }
            tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok(connection) => return connection,
                    Err(error) => {
                        // Out of file descriptors and the like: wait instead of spinning.
                        tracing::warn!(%error, "cannot accept a connection");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                },
                changed = self.stop.changed() => {
                    self.stopping = changed.is_err() || *self.stop.borrow();
                }
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        Ok(self.address)
    }
}

/// The listener, and the signal for `axum::serve(..).with_graceful_shutdown`: fires once
/// `shutdown` has completed, the backlog has been drained and its connections have settled.
pub fn draining(
    listener: TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<(DrainingListener, impl std::future::Future<Output = ()> + Send + 'static)> {
    let (stop_tx, stop_rx) = watch::channel(false);
    let (drained_tx, drained_rx) = oneshot::channel();
    let listener = DrainingListener::new(listener, stop_rx, drained_tx)?;
    let signal = async move {
        shutdown.await;
        let _ = stop_tx.send(true);
        let _ = drained_rx.await;
        tokio::time::sleep(SETTLE).await;
    };
    Ok((listener, signal))
}
