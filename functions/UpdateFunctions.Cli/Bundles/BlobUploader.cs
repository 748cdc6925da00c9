using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Xml.Linq;

namespace UpdateFunctions.Cli.Bundles;

/// <summary>
/// Uploads a zip to the write SAS URL the server handed out, with plain HTTP (the Blob REST API, no SDK):
/// one <c>Put Blob</c> up to <see cref="SinglePutLimit"/>, otherwise <c>Put Block</c> in <see cref="BlockSize"/>
/// blocks and one <c>Put Block List</c>. Reports the bytes sent so far.
/// </summary>
public sealed class BlobUploader(HttpClient http)
{
    public const long SinglePutLimit = 8 * 1024 * 1024;
    public const int BlockSize = 4 * 1024 * 1024;

    /// <summary>A REST version the Blob service (and Azurite) accept for block blobs.</summary>
    public const string StorageVersion = "2024-11-04";

    public async Task UploadAsync(Uri sasUrl, Stream content, long length, IProgress<long> progress, CancellationToken cancellationToken)
    {
        if (length <= SinglePutLimit)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, sasUrl)
            {
                Content = new ProgressContent(content, length, progress),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
            request.Headers.Add("x-ms-blob-type", "BlockBlob");
            await SendAsync(request, "Put Blob", cancellationToken);
            return;
        }

        var ids = new List<string>();
        var buffer = new byte[BlockSize];
        long sent = 0;
        while (true)
        {
            var read = await content.ReadAtLeastAsync(buffer, BlockSize, throwOnEndOfStream: false, cancellationToken);
            if (read == 0)
                break;
            // Block ids are base64 of equal-length strings, as the service requires within one blob.
            var id = Convert.ToBase64String(Encoding.ASCII.GetBytes($"block-{ids.Count:D6}"));
            ids.Add(id);
            using var request = new HttpRequestMessage(HttpMethod.Put, WithQuery(sasUrl, $"comp=block&blockid={Uri.EscapeDataString(id)}"))
            {
                Content = new ByteArrayContent(buffer, 0, read),
            };
            await SendAsync(request, "Put Block", cancellationToken);
            sent += read;
            progress.Report(sent);
        }

        var list = new XElement("BlockList", ids.Select(id => new XElement("Latest", id)));
        using var commit = new HttpRequestMessage(HttpMethod.Put, WithQuery(sasUrl, "comp=blocklist"))
        {
            Content = new StringContent(new XDocument(new XDeclaration("1.0", "utf-8", null), list).ToString(), Encoding.UTF8, "application/xml"),
        };
        commit.Headers.Add("x-ms-blob-content-type", "application/zip");
        await SendAsync(commit, "Put Block List", cancellationToken);
    }

    public static Uri WithQuery(Uri url, string query)
    {
        var builder = new UriBuilder(url);
        builder.Query = builder.Query.Length > 1 ? builder.Query[1..] + "&" + query : query;
        return builder.Uri;
    }

    private async Task SendAsync(HttpRequestMessage request, string operation, CancellationToken cancellationToken)
    {
        request.Headers.Add("x-ms-version", StorageVersion);
        var host = $"{request.RequestUri!.Scheme}://{request.RequestUri.Authority}";
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            var reason = ex.InnerException is SocketException socket ? socket.Message : ex.Message;
            throw new CliException(ExitCodes.Unavailable, "storage_unreachable", $"cannot reach the upload URL at {host}: {reason}");
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Unavailable, "timeout", $"{operation} to {host} timed out ({ex.Message})");
        }
        using (response)
        {
            if (response.IsSuccessStatusCode)
                return;
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var code = StorageErrorCode(body) ?? "upload_failed";
            var hint = response.StatusCode == HttpStatusCode.Forbidden ? " (the upload URL may have expired: run the upload again)" : string.Empty;
            throw new CliException(ExitCodes.FromStatus(response.StatusCode), code,
                $"{operation} to {host} answered {(int)response.StatusCode} {response.ReasonPhrase}{hint}");
        }
    }

    private static string? StorageErrorCode(string body)
    {
        try
        {
            return body.Length > 0 ? XDocument.Parse(body).Root?.Element("Code")?.Value : null;
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    /// <summary>Streams the content and reports the bytes written so far.</summary>
    private sealed class ProgressContent(Stream source, long length, IProgress<long> progress) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            await SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            var buffer = new byte[81920];
            long sent = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                sent += read;
                progress.Report(sent);
            }
        }

        protected override bool TryComputeLength(out long result)
        {
            result = length;
            return true;
        }
    }
}
