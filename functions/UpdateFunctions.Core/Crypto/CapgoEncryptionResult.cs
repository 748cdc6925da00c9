namespace UpdateFunctions.Core.Crypto;

/// <summary>What the device needs besides the encrypted zip, and the plain zip's checksum for the owner's records.</summary>
/// <param name="SessionKey"><c>base64(IV):base64(RSA type-1 encryption of the AES key)</c>, the update's <c>session_key</c>.</param>
/// <param name="Checksum">The encrypted checksum, the update's <c>checksum</c> (see <see cref="CapgoChecksumFormat"/>).</param>
/// <param name="PlainSha256">Lower-case hex SHA-256 of the plain zip (what the device computes after decrypting).</param>
/// <param name="EncryptedSha256">Lower-case hex SHA-256 of the encrypted bytes (what the server stores and verifies).</param>
/// <param name="EncryptedSize">Byte size of the encrypted zip.</param>
public sealed record CapgoEncryptionResult(
    string SessionKey, string Checksum, string PlainSha256, string EncryptedSha256, long EncryptedSize);
