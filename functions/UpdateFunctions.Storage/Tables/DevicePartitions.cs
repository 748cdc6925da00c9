using System.IO.Hashing;
using System.Text;

namespace UpdateFunctions.Storage.Tables;

/// <summary>
/// Device rows spread over <see cref="Buckets"/> partitions per app (<c>{appId}~{bucket:D2}</c>, bucket = XxHash3 of
/// the device id), so no single partition takes every write or read of a large app. The hash and the count are part
/// of the stored layout: never change them. Rows of the old layout (partition = app id) are still read, and moved
/// to their bucket when next written.
/// </summary>
internal static class DevicePartitions
{
    public const int Buckets = 64;

    /// <summary>After every bucket key of an app (<c>~</c> sorts after the digits; app ids hold no <c>~</c>).</summary>
    private const char Separator = '~';

    public static string Of(string appId, string deviceId) => Bucket(appId, BucketOf(deviceId));

    public static string Bucket(string appId, int bucket) =>
        string.Create(null, stackalloc char[64], $"{appId}{Separator}{bucket:D2}");

    public static IEnumerable<string> All(string appId) => Enumerable.Range(0, Buckets).Select(b => Bucket(appId, b));

    internal static int BucketOf(string deviceId) =>
        (int)(XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(deviceId)) % Buckets);

    /// <summary>The partition keys of <paramref name="appId"/>'s device rows are exactly the bucket keys and the app id (old layout).</summary>
    public static bool IsLegacy(string appId, string partitionKey) => string.Equals(appId, partitionKey, StringComparison.Ordinal);
}
