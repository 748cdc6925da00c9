using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.RegularExpressions;
using UpdateFunctions.Core.Management;

namespace UpdateFunctions.Functions.Management;

/// <summary>
/// Builds the OpenAPI 3.1 document of the management API from <see cref="ManagementRoutes"/>, with JSON schemas
/// derived from the wire types by <see cref="JsonSchemaExporter"/> over <see cref="ManagementJsonContext"/>.
/// </summary>
public static partial class OpenApiDocument
{
    public const string Coherence =
        "Snapshot coherence: a change made through this API is visible to update checks on the instance that made it at once " +
        "(its cached app snapshot is invalidated), and on every other instance within Storage:SnapshotRefreshInterval (10 s by default). " +
        "API keys are cached with the same interval: a revoked key is refused at once on the instance that revoked it and within the interval everywhere.";

    private static readonly Lazy<byte[]> Utf8 = new(() => System.Text.Encoding.UTF8.GetBytes(Build().ToJsonString()));

    /// <summary>The document, serialised once per process.</summary>
    public static ReadOnlyMemory<byte> Bytes => Utf8.Value;

    public static JsonObject Build()
    {
        var options = ManagementJsonContext.Default.Options;
        var paths = new JsonObject();
        foreach (var group in ManagementRoutes.All.GroupBy(r => r.Template, StringComparer.Ordinal))
        {
            var item = new JsonObject();
            foreach (var route in group)
            {
                var operation = new JsonObject
                {
                    ["operationId"] = route.Function,
                    ["summary"] = route.Summary,
                };
                if (route.Role is { } role)
                {
                    operation["security"] = new JsonArray(new JsonObject { ["bearer"] = new JsonArray() });
                    operation["x-required-role"] = role.ToWire();
                }
                else
                {
                    operation["security"] = new JsonArray();
                }

                var parameters = new JsonArray();
                foreach (Match match in RouteValue().Matches(route.Template))
                {
                    parameters.Add(new JsonObject
                    {
                        ["name"] = match.Groups[1].Value,
                        ["in"] = "path",
                        ["required"] = true,
                        ["schema"] = new JsonObject { ["type"] = "string" },
                    });
                }
                if (route.Method is "patch" or "put" or "delete")
                    parameters.Add(Header("If-Match", "ETag of a GET; 412 precondition_failed when it no longer matches."));
                if (parameters.Count > 0)
                    operation["parameters"] = parameters;

                if (route.Request is { } request)
                {
                    operation["requestBody"] = new JsonObject
                    {
                        ["required"] = true,
                        ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = options.GetJsonSchemaAsNode(request) } },
                    };
                }

                var responses = new JsonObject();
                var success = new JsonObject { ["description"] = route.SuccessStatus == 204 ? "No content" : "Success" };
                if (route.Response is { } response)
                    success["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = options.GetJsonSchemaAsNode(response) } };
                responses[route.SuccessStatus.ToString(System.Globalization.CultureInfo.InvariantCulture)] = success;
                if (route.Role is not null)
                {
                    foreach (var (status, description) in new[]
                    {
                        ("400", "invalid_body, invalid_json, invalid_version, invalid_id, …"),
                        ("401", "unauthorized"), ("403", "forbidden"), ("404", "app_not_found, channel_not_found, bundle_not_found, device_not_found, key_not_found"),
                        ("409", "conflict, partial_updates_unavailable"), ("412", "precondition_failed"), ("503", "storage_unavailable (with Retry-After)"),
                    })
                    {
                        responses[status] = new JsonObject
                        {
                            ["description"] = description,
                            ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = options.GetJsonSchemaAsNode(typeof(ErrorDto)) } },
                        };
                    }
                }
                operation["responses"] = responses;
                item[route.Method] = operation;
            }
            paths["/api/" + group.Key] = item;
        }

        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "UpdateFunctions management API",
                ["version"] = "1",
                ["description"] = "Apps, channels, bundles (direct-to-blob upload), device overrides, API keys and the audit log. " +
                    "Roles: read < upload < write < admin. " + Coherence,
            },
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject { ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer" } },
            },
            ["paths"] = paths,
        };
    }

    private static JsonObject Header(string name, string description) => new()
    {
        ["name"] = name,
        ["in"] = "header",
        ["required"] = false,
        ["description"] = description,
        ["schema"] = new JsonObject { ["type"] = "string" },
    };

    [GeneratedRegex(@"\{([A-Za-z]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex RouteValue();
}
