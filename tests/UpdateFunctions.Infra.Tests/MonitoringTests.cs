namespace UpdateFunctions.Infra.Tests;

[Collection(InfraGroup.Name)]
public sealed class MonitoringTests(InfraFixture infra)
{
    [Fact]
    public void Application_insights_disables_local_auth_and_writes_to_the_workspace()
    {
        var insights = infra.Default.One("Microsoft.Insights/components");
        Assert.True(insights.Bool("properties", "DisableLocalAuth"));
        Assert.Contains("Microsoft.OperationalInsights/workspaces/", insights.String("properties", "WorkspaceResourceId"), StringComparison.Ordinal);
    }

    [Fact]
    public void Log_analytics_disables_local_auth()
    {
        var workspace = infra.Default.One("Microsoft.OperationalInsights/workspaces");
        Assert.True(workspace.Bool("properties", "features", "disableLocalAuth"));
        Assert.Equal(30, workspace.Int("properties", "retentionInDays"));
    }
}
