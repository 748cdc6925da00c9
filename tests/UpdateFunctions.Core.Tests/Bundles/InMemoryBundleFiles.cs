using System.Collections.Concurrent;
using UpdateFunctions.Core.Bundles;
using UpdateFunctions.Core.Persistence;

namespace UpdateFunctions.Core.Tests.Bundles;

/// <summary>The bundle file store in memory, counting writes: the builder's side effects are visible to tests.</summary>
internal sealed class InMemoryBundleFiles : IBundleFileStore
{
    private readonly ConcurrentDictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);

    public int FileWrites => Volatile.Read(ref _fileWrites);
    private int _fileWrites;

    public IReadOnlyDictionary<string, byte[]> Blobs => _blobs;

    public Dictionary<string, Stream> Zips { get; } = new(StringComparer.Ordinal);

    public byte[] File(string appId, ManifestFile file) => _blobs[BundleLayout.FileBlobPath(appId, file.BlobName)];

    public Task<Stream> OpenBundleAsync(string blobPath, CancellationToken cancellationToken) => Task.FromResult(Zips[blobPath]);

    public Task<IReadOnlyDictionary<string, long>> ListFilesAsync(string appId, CancellationToken cancellationToken)
    {
        var prefix = BundleLayout.FilesPrefix(appId);
        IReadOnlyDictionary<string, long> files = _blobs
            .Where(b => b.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(b => b.Key[prefix.Length..], b => (long)b.Value.Length, StringComparer.Ordinal);
        return Task.FromResult(files);
    }

    public Task PutFileAsync(string appId, string blobName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        if (_blobs.TryAdd(BundleLayout.FileBlobPath(appId, blobName), content.ToArray()))
            Interlocked.Increment(ref _fileWrites);
        return Task.CompletedTask;
    }

    public Task<byte[]?> GetManifestAsync(string blobPath, CancellationToken cancellationToken) =>
        Task.FromResult(_blobs.TryGetValue(blobPath, out var bytes) ? bytes : null);

    public Task PutManifestAsync(string blobPath, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        _blobs.TryAdd(blobPath, content.ToArray());
        return Task.CompletedTask;
    }
}
