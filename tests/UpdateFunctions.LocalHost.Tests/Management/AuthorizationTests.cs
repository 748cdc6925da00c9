using System.Text.Json.Nodes;
using UpdateFunctions.Core.Management;
using UpdateFunctions.Functions.Management;

namespace UpdateFunctions.LocalHost.Tests.Management;

/// <summary>The 401/403 matrix, table-driven over <see cref="ManagementRoutes.All"/>.</summary>
[Collection(ManagementGroup.Name)]
public sealed class AuthorizationTests(ManagementFixture host)
{
    private const string OtherApp = "com.other.app";

    public static TheoryData<string> Routes() => [.. ManagementRoutes.All.Where(r => r.Role is not null).Select(r => r.Function)];

    /// <summary>Routes that some role is too low for: a <c>read</c> route has no role below it to refuse.</summary>
    public static TheoryData<string> RoutesAboveTheLowestRole() =>
        [.. ManagementRoutes.All.Where(r => r.Role is { } role && role > Enum.GetValues<ApiRole>().Min()).Select(r => r.Function)];

    private static ManagementRoute RouteOf(string function) => ManagementRoutes.All.Single(r => r.Function == function);

    private static string PathOf(ManagementRoute route, string app = "com.demo.app") => "/api/" + route.Template
        .Replace("{app}", app, StringComparison.Ordinal)
        .Replace("{channel}", "production", StringComparison.Ordinal)
        .Replace("{version}", "1.0.1", StringComparison.Ordinal)
        .Replace("{deviceId}", "0c0ffee0-0000-4000-8000-0000000000b1", StringComparison.Ordinal)
        .Replace("{id}", "k_0000000000000000", StringComparison.Ordinal)
        .Replace("{name}", "enterprise", StringComparison.Ordinal)
        .Replace("{rollout}", "r-00000000", StringComparison.Ordinal)
        .Replace("{action}", "pause", StringComparison.Ordinal);

    private static HttpMethod MethodOf(ManagementRoute route) => new(route.Method.ToUpperInvariant());

    private static JsonObject? BodyOf(ManagementRoute route) => route.Request is null ? null : [];

    [Fact]
    public async Task Error_messages_read_as_written_and_answers_are_never_sniffed_as_html()
    {
        var (_, key) = await host.MintAsync("read");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/apps")
        {
            Content = new StringContent("""{"id":"com.new.app","name":"<b>New</b>"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", key);
        using var response = await host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("the key has 'read'", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0027", text, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_call_without_a_key_or_with_an_unknown_key_is_401(string function)
    {
        var route = RouteOf(function);

        var missing = await host.SendRawAsync(MethodOf(route), PathOf(route), BodyOf(route)?.ToJsonString(), key: null);
        var unknown = await host.SendAsync(MethodOf(route), PathOf(route), BodyOf(route), key: "uf_" + new string('A', 43));

        Assert.Equal((401, "unauthorized"), (missing.Status, missing.Error));
        Assert.Equal((401, "unauthorized"), (unknown.Status, unknown.Error));
    }

    [Theory]
    [MemberData(nameof(RoutesAboveTheLowestRole))]
    public async Task Every_role_below_the_required_one_is_403(string function)
    {
        var route = RouteOf(function);
        var lower = Enum.GetValues<ApiRole>().Where(r => r < route.Role).ToList();
        Assert.NotEmpty(lower);
        foreach (var role in lower)
        {
            var (_, key) = await host.MintAsync(role.ToWire());
            var reply = await host.SendAsync(MethodOf(route), PathOf(route), BodyOf(route), key);
            Assert.True(reply.Status == 403 && reply.Error == "forbidden", $"{function} with role {role.ToWire()}: {reply.Status} {reply.Error}");
        }
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task An_app_limited_admin_key_is_403_outside_its_apps(string function)
    {
        var route = RouteOf(function);
        var (_, key) = await host.MintAsync("admin", OtherApp);

        var reply = await host.SendAsync(MethodOf(route), PathOf(route), BodyOf(route), key);

        // Listing apps is allowed and filtered instead, asking who the key is names no app but its own; every other call is refused.
        if (route.Function == nameof(AppFunctions.ListApps))
            Assert.DoesNotContain(reply.Array, a => a!["id"]!.GetValue<string>() == "com.demo.app");
        else if (route.Function == nameof(WhoAmIFunction.WhoAmI))
            Assert.Equal($"200 {OtherApp}", $"{reply.Status} {string.Join(',', reply.Body!["apps"]!.AsArray().Select(a => a!.GetValue<string>()))}");
        else
            Assert.True(reply.Status == 403 && reply.Error == "forbidden", $"{function}: {reply.Status} {reply.Error}");
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_revoked_key_is_401_at_once_on_the_instance_that_revoked_it(string function)
    {
        var route = RouteOf(function);
        var (id, key) = await host.MintAsync("admin");
        var before = await host.SendAsync(HttpMethod.Get, "/api/v1/apps", key: key);

        var revoke = await host.SendAsync(HttpMethod.Delete, $"/api/v1/keys/{id}");
        var after = await host.SendAsync(MethodOf(route), PathOf(route), BodyOf(route), key);

        Assert.Equal(200, before.Status);
        Assert.Equal(204, revoke.Status);
        Assert.Equal((401, "unauthorized"), (after.Status, after.Error));
    }

    [Fact]
    public async Task A_minted_key_is_shown_once_listed_without_its_secret_and_works_for_its_role()
    {
        var created = await host.SendAsync(HttpMethod.Post, "/api/v1/keys", new JsonObject { ["name"] = "ci", ["role"] = "read", ["apps"] = new JsonArray("com.demo.app") });
        var key = created.Str("key")!;
        var list = await host.SendAsync(HttpMethod.Get, "/api/v1/keys");
        var read = await host.SendAsync(HttpMethod.Get, "/api/v1/apps/com.demo.app", key: key);
        var apps = await host.SendAsync(HttpMethod.Get, "/api/v1/apps", key: key);
        var badRole = await host.SendAsync(HttpMethod.Post, "/api/v1/keys", new JsonObject { ["name"] = "x", ["role"] = "root" });
        var unknownRevoke = await host.SendAsync(HttpMethod.Delete, "/api/v1/keys/k_0000000000000000");

        Assert.Equal(201, created.Status);
        Assert.Matches("^uf_[A-Za-z0-9_-]{43}$", key);
        var listed = Assert.Single(list.Array, k => k!["id"]!.GetValue<string>() == created.Str("id"));
        Assert.Null(listed!["key"]);
        Assert.Equal("read", listed["role"]!.GetValue<string>());
        Assert.Equal(200, read.Status);
        Assert.Equal(["com.demo.app"], apps.Array.Select(a => a!["id"]!.GetValue<string>()));
        Assert.Equal((400, "invalid_body"), (badRole.Status, badRole.Error));
        Assert.Equal((404, "key_not_found"), (unknownRevoke.Status, unknownRevoke.Error));
    }

    [Theory]
    [InlineData("read")]
    [InlineData("upload")]
    [InlineData("write")]
    [InlineData("admin")]
    public async Task Every_valid_key_learns_its_own_id_name_role_and_apps_but_never_its_secret(string role)
    {
        var (id, key) = await host.MintAsync(role, "com.demo.app");

        var reply = await host.SendAsync(HttpMethod.Get, "/api/v1/whoami", key: key);

        Assert.Equal(200, reply.Status);
        Assert.Equal((id, "test " + role, role), (reply.Str("id"), reply.Str("name"), reply.Str("role")));
        Assert.Equal(["com.demo.app"], reply.Body!["apps"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(["apps", "expiresAt", "id", "name", "role"], reply.Body.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(key, reply.Body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_bootstrap_key_is_an_admin_of_every_app_without_a_name()
    {
        var reply = await host.SendAsync(HttpMethod.Get, "/api/v1/whoami");

        Assert.Equal((200, ManagementCaller.BootstrapKeyId, null, "admin"), (reply.Status, reply.Str("id"), reply.Str("name"), reply.Str("role")));
        Assert.Null(reply.Body!["apps"]);
    }

    [Fact]
    public async Task The_openapi_document_is_anonymous_and_names_every_v1_function_and_nothing_else()
    {
        var functions = typeof(ManagementRoutes).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Select(m => (Function: m.GetCustomAttributes(typeof(Microsoft.Azure.Functions.Worker.FunctionAttribute), false).Cast<Microsoft.Azure.Functions.Worker.FunctionAttribute>().SingleOrDefault(),
                Trigger: m.GetParameters().SelectMany(p => p.GetCustomAttributes(typeof(Microsoft.Azure.Functions.Worker.HttpTriggerAttribute), false)).Cast<Microsoft.Azure.Functions.Worker.HttpTriggerAttribute>().SingleOrDefault()))
            .Where(x => x.Function is not null && x.Trigger?.Route?.StartsWith("v1/", StringComparison.Ordinal) == true)
            .Select(x => $"{x.Trigger!.Methods!.Single()} /api/{x.Trigger.Route} {x.Function!.Name}")
            .Order(StringComparer.Ordinal)
            .ToList();

        var reply = await host.SendRawAsync(HttpMethod.Get, "/api/v1/openapi.json", null, key: null);
        var documented = reply.Body!["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => $"{op.Key} {path.Key} {op.Value!["operationId"]!.GetValue<string>()}"))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(200, reply.Status);
        Assert.Equal(44, functions.Count);
        Assert.Equal(functions, documented);
        Assert.Contains("10 s", reply.Body["info"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("object", reply.Body["paths"]!["/api/v1/apps"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!["type"]!.ToJsonString(), StringComparison.Ordinal);
    }
}
