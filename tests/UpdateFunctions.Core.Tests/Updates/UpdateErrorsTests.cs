using UpdateFunctions.Core.Updates;

namespace UpdateFunctions.Core.Tests.Updates;

public sealed class UpdateErrorsTests
{
    private static readonly string[] Codes = typeof(UpdateErrors).GetFields()
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    [Fact]
    public void Every_error_code_has_a_message()
    {
        Assert.Equal(20, Codes.Length);
        Assert.All(Codes, code => Assert.False(string.IsNullOrWhiteSpace(UpdateErrors.MessageFor(code))));
    }

    [Fact]
    public void Error_codes_are_distinct_snake_case_wire_names()
    {
        Assert.Equal(Codes.Length, Codes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(Codes, code => Assert.Matches("^[a-z]+(_[a-z]+)*$", code));
    }

    [Theory]
    [InlineData(UpdateErrors.NoChannel, "no default channel or override")]
    [InlineData(UpdateErrors.NoBundle, "Cannot get bundle")]
    [InlineData(UpdateErrors.NoNewVersionAvailable, "No new version available")]
    [InlineData(UpdateErrors.DisableAutoUpdateToMajor, "Cannot upgrade major version")]
    [InlineData(UpdateErrors.DisableAutoUpdateUnderNative, "Cannot revert under native version")]
    [InlineData(UpdateErrors.AlreadyOnBuiltin, "Already on builtin")]
    public void MessageFor_uses_capgos_wording(string code, string message)
    {
        Assert.Equal(message, UpdateErrors.MessageFor(code));
    }

    [Fact]
    public void MessageFor_rejects_an_unknown_code()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => UpdateErrors.MessageFor("not_a_code"));
    }
}
