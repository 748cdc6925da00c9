using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Functions.Management;

/// <summary>
/// What a management function adds to its <c>[HttpTrigger]</c> (which holds its method and route): the least role
/// allowed, and what the OpenAPI document says of it. <see cref="ManagementRoutes.All"/> reads both.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ManagementOperationAttribute : Attribute
{
    /// <summary>A call that needs an API key with at least <paramref name="role"/>.</summary>
    public ManagementOperationAttribute(ApiRole role, string summary)
    {
        Role = role;
        Summary = summary;
    }

    /// <summary>An anonymous call (the OpenAPI document only).</summary>
    public ManagementOperationAttribute(string summary) => Summary = summary;

    public ApiRole? Role { get; }

    public string Summary { get; }

    /// <summary>The status of a success: 200, 201 or 204.</summary>
    public int Status { get; set; } = 200;

    /// <summary>The JSON body's wire type, if the call takes one.</summary>
    public Type? Request { get; set; }

    /// <summary>The answer's wire type, if it has a body.</summary>
    public Type? Response { get; set; }
}
