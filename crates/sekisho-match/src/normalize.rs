//! Name normalisation (being written).
