//! Codec negotiation tests (filled below).
