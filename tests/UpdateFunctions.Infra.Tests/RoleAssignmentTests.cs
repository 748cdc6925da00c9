using System.Text.Json;
using System.Text.RegularExpressions;

namespace UpdateFunctions.Infra.Tests;

/// <summary>Managed identities and role assignments instead of keys: each (scope, principal, role) exactly once.</summary>
[Collection(InfraGroup.Name)]
public sealed partial class RoleAssignmentTests(InfraFixture infra)
{
    private const string RoleAssignment = "Microsoft.Authorization/roleAssignments";
    private const string StorageBlobDataReader = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";

    /// <summary>Role name, built-in role definition ID, and the resource type the role is scoped to.</summary>
    public static TheoryData<string, string, string> FunctionRoles => new()
    {
        { "Storage Blob Data Owner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Microsoft.Storage/storageAccounts" },
        { "Storage Table Data Contributor", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Microsoft.Storage/storageAccounts" },
        { "Storage Queue Data Contributor", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Microsoft.Storage/storageAccounts" },
        { "Azure Event Hubs Data Sender", "2b629674-e913-4c01-ae53-ef4638d8f975", "Microsoft.EventHub/namespaces/eventhubs" },
        { "Azure Event Hubs Data Receiver", "a638d3c7-ab3a-418d-83e6-5f17a39d4fde", "Microsoft.EventHub/namespaces/eventhubs" },
        { "Monitoring Metrics Publisher", "3913510d-42f4-4e42-8a64-420c390055eb", "Microsoft.Insights/components" },
    };

    [Theory]
    [MemberData(nameof(FunctionRoles))]
    public void Function_identity_holds_role(string roleName, string roleId, string scopeType)
    {
        var assignment = Assert.Single(AssignmentsOf(infra.Default, roleId), IsForFunctionIdentity);
        Assert.True(scopeType == ResourceTypeOf(ScopeOf(assignment)), $"{roleName} should be scoped to a {scopeType}, not {ScopeOf(assignment)}.");
        Assert.Equal("ServicePrincipal", assignment.String("properties", "principalType"));
    }

    [Fact]
    public void Role_assignments_are_named_by_scope_principal_and_role()
    {
        var assignments = infra.Default.OfType(RoleAssignment).ToList();
        Assert.Equal(7, assignments.Count);
        foreach (var assignment in assignments)
        {
            var roleId = RoleIdOf(assignment);
            var principal = assignment.String("properties", "principalId")[1..^1];
            Assert.Equal($"[guid('{ScopeOf(assignment)}', {principal}, '{roleId}')]", assignment.String("name"));
        }
    }

    [Fact]
    public void Front_door_identity_may_read_but_not_list_bundles()
    {
        var assignment = Assert.Single(AssignmentsOf(infra.Default, StorageBlobDataReader));
        Assert.Contains("/providers/Microsoft.Cdn/profiles/", assignment.String("properties", "principalId"), StringComparison.Ordinal);
        Assert.EndsWith("/blobServices/default/containers/bundles", ScopeOf(assignment), StringComparison.Ordinal);
        Assert.Equal("2.0", assignment.String("properties", "conditionVersion"));
        Assert.Equal(
            "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'} AND SubOperationMatches{'Blob.List'})))",
            assignment.String("properties", "condition"));
    }

    [Fact]
    public void Front_door_gets_no_role_when_bundles_are_anonymous()
    {
        Assert.Empty(AssignmentsOf(infra.Alternative, StorageBlobDataReader));
        Assert.Equal(6, infra.Alternative.OfType(RoleAssignment).Count());
    }

    [Fact]
    public void Only_the_function_and_front_door_identities_hold_roles()
    {
        Assert.All(infra.Default.OfType(RoleAssignment), assignment => Assert.True(
            IsForFunctionIdentity(assignment) || assignment.String("properties", "principalId").Contains("/providers/Microsoft.Cdn/profiles/", StringComparison.Ordinal),
            assignment.ToString()));
    }

    private static IEnumerable<JsonElement> AssignmentsOf(Snapshot snapshot, string roleId) =>
        snapshot.OfType(RoleAssignment).Where(assignment => RoleIdOf(assignment) == roleId);

    private static bool IsForFunctionIdentity(JsonElement assignment)
    {
        var principal = assignment.String("properties", "principalId");
        return principal.Contains("/providers/Microsoft.Web/sites/func-", StringComparison.Ordinal)
            && principal.EndsWith(".identity.principalId]", StringComparison.Ordinal);
    }

    private static string RoleIdOf(JsonElement assignment) =>
        assignment.String("properties", "roleDefinitionId").Split('/')[^1];

    private static string ScopeOf(JsonElement assignment)
    {
        var match = ExtensionScope().Match(assignment.String("id"));
        Assert.True(match.Success, $"Role assignment id without a scope: {assignment.String("id")}");
        return match.Groups["scope"].Value;
    }

    /// <summary>The type of a resource ID: Microsoft.EventHub/namespaces/eventhubs for .../providers/Microsoft.EventHub/namespaces/ns/eventhubs/hub.</summary>
    private static string ResourceTypeOf(string resourceId)
    {
        var segments = resourceId[(resourceId.LastIndexOf("/providers/", StringComparison.Ordinal) + "/providers/".Length)..].Split('/');
        return string.Join('/', segments.Take(1).Concat(segments.Skip(1).Where((_, index) => index % 2 == 0)));
    }

    [GeneratedRegex(@"^\[extensionResourceId\('(?<scope>[^']+)', 'Microsoft\.Authorization/roleAssignments', ")]
    private static partial Regex ExtensionScope();
}
