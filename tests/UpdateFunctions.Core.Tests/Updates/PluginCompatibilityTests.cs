using UpdateFunctions.Core.Updates;

namespace UpdateFunctions.Core.Tests.Updates;

public sealed class PluginCompatibilityTests
{
    [Theory]
    [InlineData("4.20.0", true)]
    [InlineData("5.33.9", true)]
    [InlineData("5.34.0", false)]
    [InlineData("6.33.0", true)]
    [InlineData("6.34.0", false)]
    [InlineData("7.0.35", true)]
    [InlineData("7.34.0", false)]
    [InlineData("8.0.0", false)]
    [InlineData("10.0.0", false)]
    [InlineData(null, false)]
    public void IsLegacyChannelSelfAssignment_marks_plugins_that_do_not_keep_their_own_channel(string? pluginVersion, bool legacy)
    {
        Assert.Equal(legacy, PluginCompatibility.IsLegacyChannelSelfAssignment(pluginVersion));
    }

    [Theory]
    [InlineData("8.40.7", false)]
    [InlineData("8.40.7-beta.1", false)]
    [InlineData("8.40.8", true)]
    [InlineData("8.41.0-alpha.0", true)]
    [InlineData("9.0.0", true)]
    [InlineData("7.99.0", false)]
    [InlineData(null, false)]
    public void SendsCurrentKeyIdFormat_starts_after_8_40_7(string? pluginVersion, bool current)
    {
        Assert.Equal(current, PluginCompatibility.SendsCurrentKeyIdFormat(pluginVersion));
    }

    [Theory]
    [InlineData("6.1.9", false)]
    [InlineData("5.40.0", false)]
    [InlineData("6.2.0", true)]
    [InlineData("8.0.0", true)]
    [InlineData(null, true)]
    public void CanResetToBuiltin_starts_at_6_2_0(string? pluginVersion, bool can)
    {
        Assert.Equal(can, PluginCompatibility.CanResetToBuiltin(pluginVersion));
    }

    [Theory]
    [InlineData("4.99.0", false)]
    [InlineData("5.9.9", false)]
    [InlineData("5.10.0", true)]
    [InlineData("6.24.9", false)]
    [InlineData("6.25.0", true)]
    [InlineData("7.0.34", false)]
    [InlineData("7.0.35", true)]
    [InlineData("8.0.0", true)]
    [InlineData("99999999999999999999.0.0", true)]
    [InlineData("not-semver", false)]
    [InlineData(null, false)]
    public void ReceivesManifest_starts_where_the_plugin_handles_brotli_files(string? pluginVersion, bool receives)
    {
        Assert.Equal(receives, PluginCompatibility.ReceivesManifest(pluginVersion));
    }
}
