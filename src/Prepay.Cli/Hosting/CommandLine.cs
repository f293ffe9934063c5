using System.CommandLine;

namespace Prepay.Cli.Hosting;

internal static class CommandLine
{
    /// <summary>Exit code for a bad argument or bad input, everywhere in the CLI.</summary>
    public const int BadInput = 2;

    /// <summary>
    /// Parses and runs. A parse error (unknown option, missing value, unknown command) prints one clear line and
    /// exits with 2 instead of the parser's default listing.
    /// </summary>
    public static async Task<int> RunAsync(RootCommand root, string[] args)
    {
        var result = root.Parse(args);
        if (result.Errors.Count > 0 && !args.Any(a => a is "--help" or "-h" or "-?"))
        {
            // An unknown word is the likeliest mistake and the most useful thing to name; then the parser's first error.
            var message = result.UnmatchedTokens.Count > 0 ? $"unknown argument '{result.UnmatchedTokens[0]}'" : result.Errors[0].Message;
            await Console.Error.WriteLineAsync($"prepay: {message} (see 'prepay --help')");
            return BadInput;
        }
        return await result.InvokeAsync();
    }
}
