//! One file per subcommand: each wires the library pieces to the printers.

pub mod batch;
pub mod check;
pub mod docs;
pub mod eval;
pub mod export;
pub mod index;
pub mod query;
pub mod reuse;
pub mod show;
pub mod similar;
pub mod stats;
pub mod terms;
pub mod trends;
pub mod watch;
