namespace UpdateFunctions.Core.Management;

/// <summary>The outcome of deciding a change: the new value, or a refusal.</summary>
public readonly record struct Change<T>(T? Value, ManagementError? Error)
{
    public static implicit operator Change<T>(ManagementError error) => new(default, error);
}

/// <summary>Builds a <see cref="Change{T}"/> that goes ahead.</summary>
public static class Change
{
    public static Change<T> To<T>(T value) => new(value, null);
}
