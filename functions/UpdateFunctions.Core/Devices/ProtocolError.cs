namespace UpdateFunctions.Core.Devices;

/// <summary>A stable, machine-readable error code with a human message (docs/protocol.md).</summary>
public sealed record ProtocolError(string Code, string Message);
