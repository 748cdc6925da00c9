using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Seeding;

namespace UpdateFunctions.Core.Tests.Seeding;

public sealed class SeedParserTests
{
    private const string Sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    /// <summary>The example of docs/seed-format.md, with real values where it has placeholders.</summary>
    private const string Example = $$"""
        {
          "apps": [
            {
              "id": "com.demo.app",
              "name": "Demo",
              "defaultChannel": "production",
              "publicKey": null,
              "channels": [
                {
                  "name": "production",
                  "bundle": "1.0.1",
                  "ios": true, "android": true, "electron": true,
                  "allowDeviceSelfSet": false,
                  "allowEmulator": true, "allowDevice": true,
                  "allowDev": true, "allowProd": true,
                  "disableAutoUpdate": "major",
                  "disableAutoUpdateUnderNative": true
                },
                { "name": "beta", "bundle": "1.1.0", "allowDeviceSelfSet": true, "disableAutoUpdate": "none" }
              ],
              "bundles": [
                { "version": "1.0.1", "file": "bundles/demo-1.0.1.zip" },
                { "version": "1.1.0", "file": "bundles/demo-1.1.0.zip", "minUpdateVersion": "1.0.0" },
                { "version": "2.0.0", "url": "https://cdn.example/x.zip", "checksum": "{{Sha}}",
                  "sessionKey": "aXZpdml2aXZpdml2aXZpdg==:a2V5a2V5a2V5a2V5" }
              ],
              "devices": [
                { "id": "0c0ffee0-0000-4000-8000-0000000000b1", "channel": "beta" },
                { "id": "0c0ffee0-0000-4000-8000-0000000000a1", "bundle": "1.0.1" }
              ]
            }
          ]
        }
        """;

    [Fact]
    public void The_example_of_the_seed_documentation_parses()
    {
        var seed = SeedParser.Parse(Example);

        var app = Assert.Single(seed.Apps);
        Assert.Equal(("com.demo.app", "Demo", "production", (string?)null), (app.Id, app.Name, app.DefaultChannel, app.PublicKey));
        Assert.Equal(new SeedChannel("production", "1.0.1"), app.Channels[0]);
        Assert.Equal(new SeedChannel("beta", "1.1.0", AllowDeviceSelfSet: true, DisableAutoUpdate: AutoUpdatePolicy.None), app.Channels[1]);
        Assert.Equal(new SeedBundle("1.0.1", "bundles/demo-1.0.1.zip", null, null), app.Bundles[0]);
        Assert.Equal(new SeedBundle("1.1.0", "bundles/demo-1.1.0.zip", null, null, MinUpdateVersion: "1.0.0"), app.Bundles[1]);
        Assert.Equal(new SeedBundle("2.0.0", null, new Uri("https://cdn.example/x.zip"), Sha, "aXZpdml2aXZpdml2aXZpdg==:a2V5a2V5a2V5a2V5"), app.Bundles[2]);
        Assert.True(app.Bundles[2].IsExternal);
        Assert.Equal(new SeedDevice("0c0ffee0-0000-4000-8000-0000000000b1", "beta", null), app.Devices[0]);
        Assert.Equal(new SeedDevice("0c0ffee0-0000-4000-8000-0000000000a1", null, "1.0.1"), app.Devices[1]);
    }

    [Fact]
    public void Channel_switches_not_given_take_the_documented_defaults()
    {
        var seed = SeedParser.Parse("""{"apps":[{"id":"com.demo.app","channels":[{"name":"production"}]}]}""");

        var channel = Assert.Single(Assert.Single(seed.Apps).Channels).ToDefinition(1);

        Assert.Equal(new ChannelDefinition("production", 1, null, Ios: true, Android: true, Electron: true,
            AllowDeviceSelfSet: false, AllowEmulator: true, AllowDevice: true, AllowDev: true, AllowProd: true,
            DisableAutoUpdate: AutoUpdatePolicy.Major, DisableAutoUpdateUnderNative: true), channel);
    }

    [Fact]
    public void Every_switch_can_be_turned()
    {
        var seed = SeedParser.Parse("""
            {"apps":[{"id":"com.demo.app","channels":[{"name":"p","ios":false,"android":false,"electron":false,
              "allowDeviceSelfSet":true,"allowEmulator":false,"allowDevice":false,"allowDev":false,"allowProd":false,
              "disableAutoUpdate":"version_number","disableAutoUpdateUnderNative":false}]}]}
            """);

        Assert.Equal(new SeedChannel("p", null, false, false, false, true, false, false, false, false, AutoUpdatePolicy.VersionNumber, false),
            seed.Apps[0].Channels[0]);
    }

    [Fact]
    public void Partial_updates_are_off_unless_a_channel_turns_them_on()
    {
        var seed = SeedParser.Parse("""{"apps":[{"id":"com.demo.app","channels":[{"name":"a"},{"name":"b","partialUpdates":true}]}]}""");

        Assert.False(seed.Apps[0].Channels[0].ToDefinition(1).PartialUpdates);
        Assert.True(seed.Apps[0].Channels[1].ToDefinition(2).PartialUpdates);
    }

    [Fact]
    public void An_app_without_a_name_is_named_by_its_id_and_empty_sections_are_empty()
    {
        var app = Assert.Single(SeedParser.Parse("""{"apps":[{"id":"com.demo.app"}]}""").Apps);

        Assert.Equal("com.demo.app", app.Name);
        Assert.Null(app.DefaultChannel);
        Assert.Empty(app.Channels);
        Assert.Empty(app.Bundles);
        Assert.Empty(app.Devices);
    }

    [Fact]
    public void A_seed_without_apps_is_empty()
    {
        Assert.Empty(SeedParser.Parse("{}").Apps);
    }

    [Fact]
    public void Device_ids_are_lower_cased_like_device_requests()
    {
        var seed = SeedParser.Parse("""
            {"apps":[{"id":"com.demo.app","channels":[{"name":"beta"}],
              "devices":[{"id":"0C0FFEE0-0000-4000-8000-0000000000B1","channel":"beta"}]}]}
            """);

        Assert.Equal("0c0ffee0-0000-4000-8000-0000000000b1", seed.Apps[0].Devices[0].Id);
    }

    [Fact]
    public void External_checksums_are_lower_cased_hex()
    {
        var seed = SeedParser.Parse($$"""
            {"apps":[{"id":"com.demo.app","bundles":[{"version":"1.0.0","url":"https://x.example/a.zip","checksum":"{{Sha.ToUpperInvariant()}}"}]}]}
            """);

        Assert.Equal(Sha, seed.Apps[0].Bundles[0].Checksum);
    }

    [Fact]
    public void An_encrypted_external_bundle_may_give_its_encrypted_checksum_in_base64()
    {
        var seed = SeedParser.Parse("""
            {"apps":[{"id":"com.demo.app","bundles":[{"version":"1.0.0","url":"https://x.example/a.zip",
              "checksum":"c2lnbmVkLWNoZWNrc3Vt","sessionKey":"aXY=:a2V5"}]}]}
            """);

        Assert.Equal("c2lnbmVkLWNoZWNrc3Vt", seed.Apps[0].Bundles[0].Checksum);
    }

    [Fact]
    public void Channels_and_devices_may_name_the_builtin_bundle()
    {
        var seed = SeedParser.Parse("""
            {"apps":[{"id":"com.demo.app","channels":[{"name":"rollback","bundle":"builtin"}],
              "devices":[{"id":"d1","bundle":"builtin"}]}]}
            """);

        Assert.Equal("builtin", seed.Apps[0].Channels[0].Bundle);
        Assert.Equal("builtin", seed.Apps[0].Devices[0].Bundle);
    }

    [Fact]
    public void Comments_are_allowed()
    {
        var seed = SeedParser.Parse("""
            // fixtures for the demo
            {"apps":[{"id":"com.demo.app" /* the only one */}]}
            """);

        Assert.Single(seed.Apps);
    }

    [Theory]
    // Not a seed at all.
    [InlineData("""{"apps": [""", "The seed is not valid JSON")]
    [InlineData("""[]""", "$: expected an object, found an array")]
    [InlineData("""{"apps":{}}""", "$.apps: expected an array, found an object")]
    [InlineData("""{"apps":[{"id":"com.demo.app"},{"id":"com.demo.app"}]}""", "$.apps[1].id: app 'com.demo.app' is defined twice")]
    [InlineData("""{"apps":[{"id":"com.demo.app","id":"com.other.app"}]}""", "$.apps[0].id: the property is given twice")]
    [InlineData("""{"apps":[42]}""", "$.apps[0]: expected an object, found the number 42")]
    // Unknown sections and properties: a typo is never silently ignored.
    [InlineData("""{"app":[]}""", "$.app: unknown property (allowed here: apps)")]
    [InlineData("""{"apps":[],"segments":[]}""", "$.segments: segments belong to an app")]
    [InlineData("""{"apps":[{"id":"com.demo.app","segments":[{"name":"s","conditions":[{"colour":"red"}]}]}]}""", "$.apps[0].segments[0]: conditions[0]: unknown condition 'colour'")]
    [InlineData("""{"apps":[{"id":"com.demo.app","segments":[{"name":"s","conditions":[{"isProd":true}]},{"name":"s","conditions":[{"isProd":false}]}]}]}""", "$.apps[0].segments[1].name: 's' is defined twice")]
    [InlineData("""{"apps":[],"rollouts":[]}""", "$.rollouts: this section is not supported yet")]
    [InlineData("""{"apps":[{"id":"com.demo.app","defaultchannel":"p"}]}""", "$.apps[0].defaultchannel: unknown property")]
    [InlineData("""{"apps":[{"id":"com.demo.app","channels":[{"name":"p","bundel":"1.0.0"}]}]}""", "$.apps[0].channels[0].bundel: unknown property")]
    [InlineData("""{"apps":[{"id":"com.demo.app","bundles":[{"version":"1.0.0","file":"a.zip","size":3}]}]}""", "$.apps[0].bundles[0].size: unknown property")]
    [InlineData("""{"apps":[{"id":"com.demo.app","devices":[{"id":"d1","chanel":"p"}]}]}""", "$.apps[0].devices[0].chanel: unknown property")]
    // Wrong types.
    [InlineData("""{"apps":[{"id":42}]}""", "$.apps[0].id: expected a string, found the number 42")]
    [InlineData("""{"apps":[{"id":"com.demo.app","name":true}]}""", "$.apps[0].name: expected a string, found the boolean true")]
    [InlineData("""{"apps":[{"id":"com.demo.app","channels":[{"name":"p","ios":"yes"}]}]}""", "$.apps[0].channels[0].ios: expected true or false, found a string")]
    [InlineData("""{"apps":[{"id":"com.demo.app","channels":[{"name":"p","allowProd":null}]}]}""", "$.apps[0].channels[0].allowProd: expected true or false, found null")]
    [InlineData("""{"apps":[{"id":"com.demo.app","channels":{}}]}""", "$.apps[0].channels: expected an array, found an object")]
    [InlineData("""{"apps":[{"id":"com.demo.app","bundles":[{"version":1,"file":"a.zip"}]}]}""", "$.apps[0].bundles[0].version: expected a string, found the number 1")]
    // Required values and their formats.
    [InlineData("""{"apps":[{"name":"Demo"}]}""", "$.apps[0].id: required string is missing")]
    [InlineData("""{"apps":[{"id":"demo"}]}""", "$.apps[0].id: 'demo' is not a reverse-DNS app id")]
    [InlineData("""{"apps":[{"id":"com..demo"}]}""", "$.apps[0].id: 'com..demo' is not a reverse-DNS app id")]
    [InlineData("""{"apps":[{"id":"com.demo/app"}]}""", "$.apps[0].id: 'com.demo/app' is not a reverse-DNS app id")]
    [InlineData("""{"apps":[{"id":"com.demo.app","channels":[{"bundle":"1.0.0"}]}]}""", "$.apps[0].channels[0].name: required string is missing")]
    [InlineData("""{"apps":[{"id":"com.demo.app","channels":[{"name":"a/b"}]}]}""", "$.apps[0].channels[0].name: 'a/b' is not a valid channel name")]
    [InlineData("""{"apps":[{"id":"com.demo.app","channels":[{"name":"p","disableAutoUpdate":"always"}]}]}""", "$.apps[0].channels[0].disableAutoUpdate: 'always' is not one of")]
    [InlineData("""{"apps":[{"id":"com.demo.app","channels":[{"name":"p","disableAutoUpdate":"Major"}]}]}""", "$.apps[0].channels[0].disableAutoUpdate: 'Major' is not one of")]
    [InlineData("""{"apps":[{"id":"com.demo.app","devices":[{"id":"d 1","channel":"p"}]}]}""", "$.apps[0].devices[0].id: 'd 1' is not a device id")]
    // Bundle versions are strict semver.
    [InlineData("""{"apps":[{"id":"com.demo.app","bundles":[{"version":"1.0","file":"a.zip"}]}]}""", "$.apps[0].bundles[0].version: '1.0' is not a strict semantic version")]
    [InlineData("""{"apps":[{"id":"com.demo.app","bundles":[{"version":"v1.0.0","file":"a.zip"}]}]}""", "$.apps[0].bundles[0].version: 'v1.0.0' is not a strict semantic version")]
    [InlineData("""{"apps":[{"id":"com.demo.app","bundles":[{"version":"01.0.0","file":"a.zip"}]}]}""", "$.apps[0].bundles[0].version: '01.0.0' is not a strict semantic version")]
    [InlineData("""{"apps":[{"id":"com.demo.app","bundles":[{"version":"builtin","file":"a.zip"}]}]}""", "$.apps[0].bundles[0].version: 'builtin' is not a strict semantic version")]
    [InlineData("""{"apps":[{"id":"com.demo.app","bundles":[{"version":"1.0.0","file":"a.zip","minUpdateVersion":"1"}]}]}""", "$.apps[0].bundles[0].minUpdateVersion: '1' is not a strict semantic version")]
    // Exactly one of file, or url with checksum.
    [InlineData("""{"apps":[{"id":"com.demo.app","bundles":[{"version":"1.0.0"}]}]}""", "$.apps[0].bundles[0]: give either \"file\"")]
    [InlineData("""{"apps":[{"id":"com.demo.app","bundles":[{"version":"1.0.0","file":"a.zip","url":"https://x.example/a.zip"}]}]}""", "$.apps[0].bundles[0]: give either \"file\" or \"url\" (with \"checksum\"), not both")]
    [InlineData("""{"apps":[{"id":"com.demo.app","bundles":[{"version":"1.0.0","url":"https://x.example/a.zip"}]}]}""", "$.apps[0].bundles[0]: an external bundle (\"url\") needs its \"checksum\"")]
    [InlineData("""{"apps":[{"id":"com.demo.app","bundles":[{"version":"1.0.0","file":"a.zip","checksum":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}]}]}""", "$.apps[0].bundles[0].checksum: a bundle with \"file\" takes its checksum from the file")]
    [InlineData("""{"apps":[{"id":"com.demo.app","bundles":[{"version":"1.0.0","file":"/etc/a.zip"}]}]}""", "$.apps[0].bundles[0].file: '/etc/a.zip' must be a path relative to the seed file")]
    [InlineData("""{"apps":[{"id":"com.demo.app","bundles":[{"version":"1.0.0","url":"ftp://x.example/a.zip","checksum":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}]}]}""", "$.apps[0].bundles[0].url: 'ftp://x.example/a.zip' is not an absolute http(s) URL")]
    [InlineData("""{"apps":[{"id":"com.demo.app","bundles":[{"version":"1.0.0","url":"x.zip","checksum":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}]}]}""", "$.apps[0].bundles[0].url: 'x.zip' is not an absolute http(s) URL")]
    [InlineData("""{"apps":[{"id":"com.demo.app","bundles":[{"version":"1.0.0","url":"https://x.example/a.zip","checksum":"abc"}]}]}""", "$.apps[0].bundles[0].checksum: expected the SHA-256 of the zip as 64 hex digits")]
    [InlineData("""{"apps":[{"id":"com.demo.app","bundles":[{"version":"1.0.0","file":"a.zip","sessionKey":"no-colon"}]}]}""", "$.apps[0].bundles[0].sessionKey: expected \"<base64 iv>:<base64 encrypted key>\"")]
    // Duplicates inside an app.
    [InlineData("""{"apps":[{"id":"com.demo.app","channels":[{"name":"p"},{"name":"p"}]}]}""", "$.apps[0].channels[1].name: 'p' is defined twice")]
    [InlineData("""{"apps":[{"id":"com.demo.app","bundles":[{"version":"1.0.0","file":"a.zip"},{"version":"1.0.0","file":"b.zip"}]}]}""", "$.apps[0].bundles[1].version: '1.0.0' is defined twice")]
    [InlineData("""{"apps":[{"id":"com.demo.app","channels":[{"name":"p"}],"devices":[{"id":"d1","channel":"p"},{"id":"D1","channel":"p"}]}]}""", "$.apps[0].devices[1].id: 'd1' is defined twice")]
    // References to what the app does not define.
    [InlineData("""{"apps":[{"id":"com.demo.app","defaultChannel":"production"}]}""", "$.apps[0].defaultChannel: channel 'production' is not defined")]
    [InlineData("""{"apps":[{"id":"com.demo.app","channels":[{"name":"p","bundle":"9.9.9"}]}]}""", "$.apps[0].channels[0].bundle: bundle '9.9.9' is not defined in this app's bundles")]
    [InlineData("""{"apps":[{"id":"com.demo.app","devices":[{"id":"d1"}]}]}""", "$.apps[0].devices[0]: a device entry needs \"channel\" (an override) or \"bundle\" (a pinned bundle)")]
    [InlineData("""{"apps":[{"id":"com.demo.app","devices":[{"id":"d1","channel":"beta"}]}]}""", "$.apps[0].devices[0].channel: channel 'beta' is not defined")]
    [InlineData("""{"apps":[{"id":"com.demo.app","devices":[{"id":"d1","bundle":"1.0.0"}]}]}""", "$.apps[0].devices[0].bundle: bundle '1.0.0' is not defined")]
    public void Invalid_seed_is_refused_with_a_message_naming_the_path(string json, string expectedStart)
    {
        var error = Assert.Throws<SeedException>(() => SeedParser.Parse(json));

        Assert.StartsWith(expectedStart, error.Message, StringComparison.Ordinal);
    }
}
