using System.Net;

namespace UpdateFunctions.Cli;

/// <summary>Exit codes of <c>updatectl</c>, stable for scripts.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Any other error (bad request, unexpected answer).</summary>
    public const int Error = 1;

    /// <summary>Bad command line or invalid argument (checked before any call).</summary>
    public const int Usage = 2;

    /// <summary>401 or 403: missing, wrong, expired or insufficient key.</summary>
    public const int Auth = 3;

    /// <summary>404: the app, channel, bundle, device or key does not exist.</summary>
    public const int NotFound = 4;

    /// <summary>409 or 412: exists already, in use, different bytes, or an <c>If-Match</c> mismatch.</summary>
    public const int Conflict = 5;

    /// <summary>Server or storage unavailable (502/503/504), unreachable, or timed out.</summary>
    public const int Unavailable = 6;

    public static int FromStatus(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => Auth,
        HttpStatusCode.NotFound => NotFound,
        HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed => Conflict,
        HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => Unavailable,
        _ => Error,
    };
}

/// <summary>An expected failure: printed as <c>error: message (code)</c>, exits with <see cref="ExitCode"/>.</summary>
public sealed class CliException(int exitCode, string code, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public string Code { get; } = code;

    public static CliException Usage(string message) => new(ExitCodes.Usage, "usage", message);
}
