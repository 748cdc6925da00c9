using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using UpdateFunctions.Core.Management;
using UpdateFunctions.Functions.Management;

namespace UpdateFunctions.Functions.Tests.Management;

public sealed class ManagementRoutesTests
{
    private static readonly Assembly Functions = typeof(ManagementRoutes).Assembly;

    [Fact]
    public void Every_function_under_v1_is_one_route_with_the_method_and_template_of_its_trigger()
    {
        var triggers = Functions.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .Select(m => (Function: m.GetCustomAttribute<FunctionAttribute>()?.Name,
                Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(x => x.Function is not null && x.Trigger?.Route?.StartsWith("v1/", StringComparison.Ordinal) == true)
            .ToDictionary(x => x.Function!, x => (Method: x.Trigger!.Methods!.Single(), Template: x.Trigger.Route!));

        Assert.Equal(44, triggers.Count);
        Assert.Equal(triggers.Keys.Order(StringComparer.Ordinal), ManagementRoutes.All.Select(r => r.Function).Order(StringComparer.Ordinal));
        Assert.All(ManagementRoutes.All, r => Assert.Equal(triggers[r.Function], (r.Method, r.Template)));
    }

    [Fact]
    public void Only_the_OpenAPI_document_is_anonymous()
    {
        var anonymous = Assert.Single(ManagementRoutes.All, r => r.Role is null);

        Assert.Equal(nameof(OpenApiFunction.GetOpenApi), anonymous.Function);
    }

    [Fact]
    public void A_route_keeps_the_role_and_documentation_declared_on_its_function()
    {
        var route = ManagementRoutes.Of(nameof(KeyFunctions.CreateKey));

        Assert.Equal(("post", "v1/keys", ApiRole.Admin, 201, typeof(CreateKeyRequest), typeof(CreatedKeyDto)),
            (route.Method, route.Template, route.Role, route.SuccessStatus, route.Request, route.Response));
    }

    [Fact]
    public void Asking_for_a_function_that_is_not_a_management_call_is_a_bug()
    {
        Assert.Throws<InvalidOperationException>(() => ManagementRoutes.Of("Updates"));
    }
}
