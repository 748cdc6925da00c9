namespace UpdateFunctions.Core.CodePush;

/// <summary>
/// A CodePush release: a committed bundle of the app released on one channel, with the metadata the CodePush
/// acquisition protocol serves (table <c>codepushreleases</c>, partition = app id).
/// </summary>
/// <param name="Channel">The channel (CodePush "deployment") the release belongs to.</param>
/// <param name="Number">The release's number on its channel; its label is <c>v{Number}</c>.</param>
/// <param name="Bundle">Version of the bundle in the app's catalog: its zip, size and download URL.</param>
/// <param name="TargetBinaryRange">npm semver range of the binary versions that may take it (<c>1.2.x</c>, <c>^1.2.0</c>).</param>
/// <param name="PackageHash">The CodePush content hash of the zip, computed when the release was made (<see cref="CodePushPackageHash"/>).</param>
/// <param name="RolledBack">A rollback moved the channel back past it: never served again, whatever its other flags say.</param>
public sealed record CodePushRelease(
    string Channel,
    int Number,
    string Bundle,
    string TargetBinaryRange,
    string PackageHash,
    long Size,
    bool IsMandatory = false,
    bool IsDisabled = false,
    string? Description = null,
    DateTimeOffset? CreatedAt = null,
    bool RolledBack = false,
    string? ReleasedBy = null)
{
    public const int MaxDescriptionLength = 4000;

    public string Label => LabelOf(Number);

    public static string LabelOf(int number) => "v" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Reads a label <c>v1</c>, <c>v2</c>… back into its number.</summary>
    public static bool TryParseLabel(string? label, out int number)
    {
        number = 0;
        return label is { Length: > 1 and <= 11 } && label[0] == 'v' && label[1] != '0'
            && int.TryParse(label.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out number)
            && number > 0;
    }
}
