namespace UpdateFunctions.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class MonitoringTests(InfraFixture infra)
{
    [Fact]
    public void Application_Insights_disables_local_auth_and_sends_to_Log_Analytics()
    {
        var component = infra.SingleResource("monitoring", "Microsoft.Insights/components");
        Assert.True(Arm.Bool(component["properties"]!["DisableLocalAuth"]));
        Assert.Contains("Microsoft.OperationalInsights/workspaces", Arm.Text(component["properties"]!["WorkspaceResourceId"]), StringComparison.Ordinal);
        Assert.Single(infra.ResourcesOf("monitoring", "Microsoft.OperationalInsights/workspaces"));
    }
}
