using System.Text.Json;
using Prepay.Domain.Documents;

namespace Prepay.Domain.Tests.Documents;

public sealed class JsonObjectReaderTests
{
    private sealed class DocumentProblem(string path, string problem) : Exception($"{path}: {problem}")
    {
        public string Path { get; } = path;
    }

    private static JsonObjectReader Read(string json, string root = "$") =>
        JsonObjectReader.Of(JsonDocument.Parse(json).RootElement, root, (path, problem) => new DocumentProblem(path, problem));

    [Fact]
    public void A_field_not_read_is_refused_by_its_path_in_the_readers_own_exception()
    {
        var root = Read("""{ "grace": { "days": 3, "dayz": 4 } }""");
        var grace = root.Object("grace");
        Assert.Equal(3, grace.Integer("days"));
        var refused = Assert.Throws<DocumentProblem>(grace.RefuseUnknown);
        Assert.Equal("$.grace.dayz", refused.Path);
    }

    [Fact]
    public void A_null_field_counts_as_left_out_and_a_required_one_is_named()
    {
        var root = Read("""{ "amount": null, "name": 5 }""", root: "");
        Assert.False(root.Has("amount"));
        Assert.Null(root.OptionalString("amount"));
        Assert.Equal("name", Assert.Throws<DocumentProblem>(() => root.String("name")).Path);
        Assert.Equal("missing", Assert.Throws<DocumentProblem>(() => root.Integer("missing")).Path);
        Assert.Equal("(document)", Assert.Throws<DocumentProblem>(() => Read("[]", root: "")).Path);
    }

    [Fact]
    public void Strings_name_the_item_that_is_not_one()
    {
        var root = Read("""{ "notes": ["a", " "], "days": ["mon", 2] }""");
        Assert.Equal("$.notes[1]", Assert.Throws<DocumentProblem>(() => root.NonBlankStrings("notes", required: true)).Path);
        Assert.Equal("$.days[1]", Assert.Throws<DocumentProblem>(() => root.Strings("days", required: true)).Path);
        Assert.Empty(root.Strings("holidays", required: false));
    }
}
