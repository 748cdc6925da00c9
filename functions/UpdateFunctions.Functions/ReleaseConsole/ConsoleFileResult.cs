using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace UpdateFunctions.Functions.ReleaseConsole;

/// <summary>Writes a console file: pre-compressed when the browser accepts it, 304 when its ETag still matches.</summary>
public sealed class ConsoleFileResult(ConsoleFile? file, string policy) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        var headers = response.Headers;
        headers.ContentSecurityPolicy = policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        if (file is null)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            response.ContentType = "text/plain; charset=utf-8";
            headers.CacheControl = "no-cache";
            return response.WriteAsync("Not found. The release console is at /console/.", context.HttpContext.RequestAborted);
        }

        headers.CacheControl = file.CacheControl;
        headers.ETag = file.ETag;
        headers.Vary = "Accept-Encoding";
        response.ContentType = file.ContentType;
        if (context.HttpContext.Request.Headers.IfNoneMatch.ToString().Contains(file.ETag, StringComparison.Ordinal))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        var accept = context.HttpContext.Request.Headers.AcceptEncoding.ToString();
        var (body, encoding) = file.Brotli is not null && accept.Contains("br", StringComparison.OrdinalIgnoreCase) ? (file.Brotli, "br")
            : file.Gzip is not null && accept.Contains("gzip", StringComparison.OrdinalIgnoreCase) ? (file.Gzip, "gzip")
            : (file.Bytes, null);
        if (encoding is not null)
            headers.ContentEncoding = encoding;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentLength = body.Length;
        return HttpMethods.IsHead(context.HttpContext.Request.Method)
            ? Task.CompletedTask
            : response.Body.WriteAsync(body, context.HttpContext.RequestAborted).AsTask();
    }
}
