//! The secrets handed to clients, sessions and API tokens alike: a random token goes to the
//! client once, and only its SHA-256 is stored, so a copy of the database opens no account.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// The SHA-256 of a token, hex encoded: what the tables store for sessions and API tokens.
pub fn token_digest(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A fresh random token (256 bits, hex).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
