using System.Net;
using System.Net.Sockets;
using Azure.Core;
using Azure.Core.Pipeline;

namespace UpdateFunctions.Storage.Tests.Support;

/// <summary>
/// Makes the real, Azurite-backed client lose its storage account while <see cref="Unreachable"/> is set: requests are
/// sent to a local port nobody listens on, so the SDK's own transport fails exactly as in a network outage.
/// </summary>
internal sealed class Outage : HttpPipelinePolicy
{
    private static readonly int DeadPort = FindUnusedPort();
    private volatile bool _unreachable;
    private int _failedRequests;

    public bool Unreachable
    {
        get => _unreachable;
        set => _unreachable = value;
    }

    /// <summary>Requests sent while the account was unreachable.</summary>
    public int FailedRequests => Volatile.Read(ref _failedRequests);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Redirect(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Redirect(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Redirect(HttpMessage message)
    {
        if (!_unreachable)
            return;
        Interlocked.Increment(ref _failedRequests);
        message.Request.Uri.Host = IPAddress.Loopback.ToString();
        message.Request.Uri.Port = DeadPort;
    }

    private static int FindUnusedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
