using Azure.Core;
using Azure.Core.Pipeline;

namespace UpdateFunctions.Storage.Tests.Support;

/// <summary>Counts every request a storage client really sends (one per attempt), to prove a path makes no storage call.</summary>
internal sealed class RequestCounter : HttpPipelinePolicy
{
    private int _requests;

    public int Requests => Volatile.Read(ref _requests);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Interlocked.Increment(ref _requests);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Interlocked.Increment(ref _requests);
        return ProcessNextAsync(message, pipeline);
    }
}
