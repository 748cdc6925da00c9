namespace UpdateFunctions.Core.Crypto;

/// <summary>
/// How the Capgo CLI encrypts a bundle's checksum; it picks the form from the updater plugin version of the app.
/// Both are an RSA private-key encryption (PKCS#1 v1.5 type 1) of bytes derived from the hex SHA-256 of the plain zip.
/// </summary>
public enum CapgoChecksumFormat
{
    /// <summary>
    /// Plugins 5.30.0+, 6.30.0+, 7.30.0+ and 8.x (the CLI's "V3"): the 32 raw digest bytes are encrypted and the
    /// 256-byte result is written as hex. The plugin recovers the bytes and compares their hex with its SHA-256.
    /// </summary>
    Hex,

    /// <summary>
    /// Older plugins (the CLI's "V2"): the base64-decoding of the 64-character hex string (48 bytes) is encrypted and
    /// written as base64; base64-encoding the recovered bytes gives the hex checksum back. Current plugins reject it.
    /// </summary>
    LegacyBase64,
}
