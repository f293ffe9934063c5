namespace Prepay.Policy.Documents;

/// <summary>
/// A policy document (or holiday calendar) that cannot be used: <see cref="Path"/> is the JSON path of the first
/// problem found (<c>$.friendlyHours.saturday[1].end</c>), <see cref="Problem"/> what is wrong there.
/// </summary>
public sealed class PolicyFormatException : Exception
{
    public PolicyFormatException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        Path = path;
        Problem = problem;
    }

    public PolicyFormatException()
        : this("$", "is not a valid policy document")
    {
    }

    public PolicyFormatException(string message)
        : this("$", message)
    {
    }

    public PolicyFormatException(string message, Exception inner)
        : this("$", message, inner)
    {
    }

    public string Path { get; }

    public string Problem { get; }

    /// <summary>For the shared document reader (<c>Prepay.Domain.Documents.JsonObjectReader</c>): a problem at a path.</summary>
    internal static Exception Of(string path, string problem) => new PolicyFormatException(path, problem);
}
