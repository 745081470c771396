//! The `chamlo` binary: parse the command line and dispatch.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    chamlo::cli::run().await
}
