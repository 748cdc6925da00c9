using Azure.Core;
using Azure.Core.Pipeline;

namespace UpdateFunctions.Storage.Diagnostics;

/// <summary>
/// Counts what a storage client really sends: requests (one per attempt; a batch transaction is one) and the bytes of
/// request and response bodies. Added to a client's pipeline by tests and the bench to measure a path exactly.
/// </summary>
public sealed class StorageTrafficCounter : HttpPipelinePolicy
{
    private long _requests;
    private long _requestBytes;
    private long _responseBytes;

    public long Requests => Interlocked.Read(ref _requests);

    public long RequestBytes => Interlocked.Read(ref _requestBytes);

    public long ResponseBytes => Interlocked.Read(ref _responseBytes);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        Before(message);
        ProcessNext(message, pipeline);
        After(message);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        Before(message);
        await ProcessNextAsync(message, pipeline);
        After(message);
    }

    private void Before(HttpMessage message)
    {
        Interlocked.Increment(ref _requests);
        if (message.Request.Content is { } content && content.TryComputeLength(out var length))
            Interlocked.Add(ref _requestBytes, length);
    }

    private void After(HttpMessage message)
    {
        if (!message.HasResponse)
            return;
        var length = message.Response.Headers.ContentLength
            ?? (message.Response.ContentStream is { CanSeek: true } stream ? stream.Length : 0);
        Interlocked.Add(ref _responseBytes, length);
    }
}
