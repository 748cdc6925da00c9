using System.Text.Json;
using System.Text.Json.Nodes;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Devices;

namespace UpdateFunctions.Core.Tests.Devices;

public sealed class DeviceInfoReaderTests
{
    internal static JsonObject ValidBody() => new()
    {
        ["app_id"] = "com.demo.app",
        ["device_id"] = "0C0FFEE0-0000-4000-8000-000000000001",
        ["platform"] = "android",
        ["version_name"] = "1.0.0",
        ["version_build"] = "1.0.0",
        ["version_code"] = "10",
        ["version_os"] = "14",
        ["plugin_version"] = "8.1.0",
        ["is_emulator"] = false,
        ["is_prod"] = true,
        ["custom_id"] = "tenant-42",
        ["defaultChannel"] = "beta",
        ["install_source"] = "com.android.vending",
        ["key_id"] = "abcd1234",
    };

    private static (bool Ok, DeviceInfo Device, ProtocolError Error) Read(JsonObject body, VersionNameRule rule = VersionNameRule.Semver)
    {
        using var document = JsonDocument.Parse(body.ToJsonString());
        var ok = DeviceInfoReader.TryRead(document.RootElement, rule, out var device, out var error);
        return (ok, device, error);
    }

    [Fact]
    public void Reads_every_field_and_lower_cases_the_device_id()
    {
        var (ok, device, _) = Read(ValidBody());

        Assert.True(ok);
        Assert.Equal("com.demo.app", device.AppId);
        Assert.Equal("0c0ffee0-0000-4000-8000-000000000001", device.DeviceId);
        Assert.Equal(Platform.Android, device.Platform);
        Assert.Equal("1.0.0", device.VersionName);
        Assert.Equal("8.1.0", device.PluginVersion);
        Assert.False(device.IsEmulator);
        Assert.True(device.IsProd);
        Assert.Equal("tenant-42", device.CustomId);
        Assert.Equal("beta", device.DefaultChannel);
        Assert.Equal("abcd1234", device.KeyId);
        Assert.False(device.IsOnBuiltin);
    }

    [Fact]
    public void Builtin_version_name_is_replaced_by_the_native_version()
    {
        var body = ValidBody();
        body["version_name"] = "builtin";
        body["version_build"] = "1.4";

        var (ok, device, _) = Read(body);

        Assert.True(ok);
        Assert.True(device.IsOnBuiltin);
        Assert.Equal("1.4.0", device.VersionName);
        Assert.Equal("1.4.0", device.VersionBuild);
    }

    [Theory]
    [InlineData("1", "1.0.0")]
    [InlineData("1.2", "1.2.0")]
    [InlineData("1.2.3", "1.2.3")]
    [InlineData("2-beta.1", "2.0.0-beta.1")]
    public void Native_version_is_padded_before_validation(string given, string expected)
    {
        var body = ValidBody();
        body["version_build"] = given;

        var (ok, device, _) = Read(body);

        Assert.True(ok);
        Assert.Equal(expected, device.VersionBuild);
    }

    [Theory]
    [InlineData("1.2.3.4")]
    [InlineData("v1.2.3")]
    [InlineData("01.2.3")]
    [InlineData("abc")]
    public void Native_version_that_is_not_semver_after_padding_is_a_semver_error(string given)
    {
        var body = ValidBody();
        body["version_build"] = given;

        var (ok, _, error) = Read(body);

        Assert.False(ok);
        Assert.Equal(DeviceErrors.SemverError, error.Code);
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("latest")]
    [InlineData("1.0.0.0")]
    public void Version_name_that_is_not_semver_builtin_or_unknown_is_a_semver_error(string given)
    {
        var body = ValidBody();
        body["version_name"] = given;

        var (ok, _, error) = Read(body);

        Assert.False(ok);
        Assert.Equal(DeviceErrors.SemverError, error.Code);
    }

    [Fact]
    public void Version_name_unknown_is_accepted()
    {
        var body = ValidBody();
        body["version_name"] = "unknown";

        Assert.True(Read(body).Ok);
    }

    [Fact]
    public void Stats_version_name_may_name_a_file()
    {
        var body = ValidBody();
        body["version_name"] = "1.0.0:assets/app.js";

        var (ok, device, _) = Read(body, VersionNameRule.Free);

        Assert.True(ok);
        Assert.Equal("1.0.0:assets/app.js", device.VersionName);
    }

    [Fact]
    public void Missing_app_id_has_its_own_code()
    {
        var body = ValidBody();
        body.Remove("app_id");

        Assert.Equal(DeviceErrors.MissingAppId, Read(body).Error.Code);
    }

    [Fact]
    public void Missing_device_id_has_its_own_code()
    {
        var body = ValidBody();
        body.Remove("device_id");

        Assert.Equal(DeviceErrors.MissingDeviceId, Read(body).Error.Code);
    }

    [Theory]
    [InlineData("platform", "windows")]
    [InlineData("app_id", "not an id")]
    [InlineData("app_id", "single")]
    [InlineData("device_id", "../../etc/passwd")]
    [InlineData("device_id", "x' or PartitionKey ne '")]
    [InlineData("device_id", "unknown\n")]
    [InlineData("app_id", "com.demo.app\n")]
    [InlineData("plugin_version", "eight")]
    public void Invalid_values_are_schema_errors(string field, string value)
    {
        var body = ValidBody();
        body[field] = value;

        var (ok, _, error) = Read(body);

        Assert.False(ok);
        Assert.Equal(DeviceErrors.InvalidJsonBody, error.Code);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("is_emulator")]
    [InlineData("is_prod")]
    public void Non_boolean_flags_are_schema_errors(string field)
    {
        var body = ValidBody();
        body[field] = "true";

        var (ok, _, error) = Read(body);

        Assert.False(ok);
        Assert.Equal(DeviceErrors.InvalidJsonBody, error.Code);
        Assert.Equal($"{field} must be a boolean.", error.Message);
    }

    [Theory]
    [InlineData("app_id")]
    [InlineData("device_id")]
    [InlineData("version_name")]
    [InlineData("custom_id")]
    public void Numbers_where_strings_belong_are_schema_errors(string field)
    {
        var body = ValidBody();
        body[field] = 42;

        var (ok, _, error) = Read(body);

        Assert.False(ok);
        Assert.Equal(DeviceErrors.InvalidJsonBody, error.Code);
        Assert.Equal($"{field} must be a string.", error.Message);
    }

    [Theory]
    [InlineData("device_id", 37)]
    [InlineData("custom_id", 37)]
    [InlineData("key_id", 21)]
    [InlineData("install_source", 65)]
    [InlineData("defaultChannel", 65)]
    public void Over_long_strings_are_schema_errors(string field, int length)
    {
        var body = ValidBody();
        body[field] = new string('a', length);

        var (ok, _, error) = Read(body);

        Assert.False(ok);
        Assert.Equal(DeviceErrors.InvalidJsonBody, error.Code);
        Assert.Contains("longer than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_fields_and_nulls_are_ignored()
    {
        var body = ValidBody();
        body["something_new"] = new JsonArray(1, 2);
        body["custom_id"] = null;

        var (ok, device, _) = Read(body);

        Assert.True(ok);
        Assert.Null(device.CustomId);
    }

    [Fact]
    public void Duplicate_keys_are_refused_by_the_parser()
    {
        var ok = DeviceBody.TryParse("""{"app_id":"com.a.b","app_id":"com.c.d"}"""u8.ToArray(), out _, out var error);

        Assert.False(ok);
        Assert.Equal(DeviceErrors.InvalidJsonParseBody, error.Code);
    }

    [Fact]
    public void Deeply_nested_json_is_refused_by_the_parser()
    {
        var nested = new string('[', 100) + new string(']', 100);

        var ok = DeviceBody.TryParse(System.Text.Encoding.UTF8.GetBytes(nested), out _, out var error);

        Assert.False(ok);
        Assert.Equal(DeviceErrors.InvalidJsonParseBody, error.Code);
    }

    [Fact]
    public void Query_values_are_read_with_text_booleans()
    {
        var query = new Dictionary<string, string?>
        {
            ["app_id"] = "com.demo.app", ["device_id"] = "abc-1", ["platform"] = "ios",
            ["version_name"] = "builtin", ["version_build"] = "2.0", ["is_emulator"] = "true", ["is_prod"] = "false",
        };

        var ok = DeviceInfoReader.TryRead(query, VersionNameRule.Semver, out var device, out _);

        Assert.True(ok);
        Assert.True(device.IsEmulator);
        Assert.False(device.IsProd);
        Assert.Equal("2.0.0", device.VersionName);
    }
}
