namespace UpdateFunctions.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class RoleAssignmentTests(InfraFixture infra)
{
    private const string Module = "rbac";

    public static TheoryData<string, string, string> Roles => new()
    {
        // role (built-in name), role definition id, type of the resource it is assigned on
        { "Storage Blob Data Owner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Microsoft.Storage/storageAccounts" },
        { "Storage Table Data Contributor", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Microsoft.Storage/storageAccounts" },
        { "Storage Queue Data Contributor", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Microsoft.Storage/storageAccounts" },
        { "Azure Event Hubs Data Sender", "2b629674-e913-4c01-ae53-ef4638d8f975", "Microsoft.EventHub/namespaces" },
        { "Azure Event Hubs Data Receiver", "a638d3c7-ab3a-418d-83e6-5f17a39d4fde", "Microsoft.EventHub/namespaces" },
        { "Monitoring Metrics Publisher", "3913510d-42f4-4e42-8a64-420c390055eb", "Microsoft.Insights/components" },
    };

    [Theory]
    [MemberData(nameof(Roles))]
    public void Function_identity_holds_the_role_on_the_resource_with_a_stable_name(string role, string roleDefinitionId, string scopeType)
    {
        var variables = infra.ModuleTemplate(Module)["variables"]!.AsObject();
        var variable = variables.SingleOrDefault(pair => Arm.Text(pair.Value) == roleDefinitionId).Key;
        Assert.True(variable is not null, $"rbac.bicep has no role-id variable for {role} ({roleDefinitionId}).");

        var assignment = Assert.Single(infra.ResourcesOf(Module, "Microsoft.Authorization/roleAssignments"), assignment =>
            Arm.Text(Arm.At(assignment, "properties", "roleDefinitionId")) ==
                $"[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', variables('{variable}'))]");

        Assert.Equal("[parameters('principalId')]", Arm.Text(assignment["properties"]!["principalId"]));
        Assert.Equal("ServicePrincipal", Arm.Text(assignment["properties"]!["principalType"]));
        var scope = Arm.Text(assignment["scope"])!;
        Assert.StartsWith($"[resourceId('{scopeType}', ", scope, StringComparison.Ordinal);
        Assert.Equal($"[guid({scope[1..^1]}, parameters('principalId'), variables('{variable}'))]", Arm.Text(assignment["name"]));
    }

    [Fact]
    public void Role_assignments_are_for_the_function_apps_system_assigned_identity()
    {
        var principal = Arm.Text(infra.ModuleArgument(Module, "principalId"))!;
        Assert.Contains("'Microsoft.Resources/deployments', 'functions')", principal, StringComparison.Ordinal);
        Assert.EndsWith(".outputs.principalId.value]", principal, StringComparison.Ordinal);
        var output = Arm.Text(infra.ModuleTemplate("functions")["outputs"]!["principalId"]!["value"])!;
        Assert.Contains("Microsoft.Web/sites", output, StringComparison.Ordinal);
        Assert.EndsWith(".identity.principalId]", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Role_assignments_target_the_resources_this_deployment_creates()
    {
        Assert.Equal("[variables('storageAccountName')]", Arm.Text(infra.ModuleArgument(Module, "storageAccountName")));
        Assert.Equal("[variables('storageAccountName')]", Arm.Text(infra.ModuleArgument("storage", "name")));
        Assert.Equal("[variables('eventHubsNamespaceName')]", Arm.Text(infra.ModuleArgument(Module, "eventHubsNamespaceName")));
        Assert.Equal("[variables('eventHubsNamespaceName')]", Arm.Text(infra.ModuleArgument("eventhubs", "namespaceName")));
        Assert.Equal("[variables('applicationInsightsName')]", Arm.Text(infra.ModuleArgument(Module, "applicationInsightsName")));
        Assert.Equal("[variables('applicationInsightsName')]", Arm.Text(infra.ModuleArgument("monitoring", "applicationInsightsName")));
    }
}
