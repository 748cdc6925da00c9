namespace UpdateFunctions.DeviceSimulator.Simulation;

/// <summary>No device of a round got any answer: the server is down, or the URL is wrong.</summary>
public sealed class ServerUnreachableException : Exception
{
    public ServerUnreachableException() { }

    public ServerUnreachableException(string message) : base(message) { }

    public ServerUnreachableException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The server does not know the app (<c>404 app_not_found</c>): every device would get the same answer.</summary>
public sealed class AppNotFoundException : Exception
{
    public AppNotFoundException() { }

    public AppNotFoundException(string message) : base(message) { }

    public AppNotFoundException(string message, Exception inner) : base(message, inner) { }
}
