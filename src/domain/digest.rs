//! SHA-256 digests as the 64 lowercase hexadecimal digits they are stored and compared as.

/// The digest in lowercase hexadecimal, from a table: a batch of 1000 events writes two per event,
/// and `format!("{:x}")` and `hex::encode` (a character at a time) take two and three times as long.
pub fn lower_hex(digest: &[u8; 32]) -> String {
    let mut digits = [0u8; 64];
    hex::encode_to_slice(digest, &mut digits)
        .unwrap_or_else(|_| unreachable!("two digits for each of 32 bytes"));
    std::str::from_utf8(&digits)
        .unwrap_or_else(|_| unreachable!("hexadecimal digits are ASCII"))
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_digest_is_written_as_lowercase_hex_like_format_writes_it() {
        let digest: [u8; 32] = std::array::from_fn(|i| (i * 37 + 5) as u8);
        let expected: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(lower_hex(&digest), expected);
    }
}
