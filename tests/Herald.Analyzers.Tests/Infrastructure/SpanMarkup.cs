using Microsoft.CodeAnalysis.Text;

namespace Herald.Analyzers.Tests.Infrastructure;

/// <summary>
/// Source with the spans a test expects marked in it: <c>{|HER0001:Data|}</c>. Marks nest, so one span can carry
/// several rules (<c>{|HER0001:{|HER0002:Upload|}|}</c>); the text without the marks is what gets compiled.
/// </summary>
internal sealed class SpanMarkup
{
    private SpanMarkup(string text, IReadOnlyList<(string Name, TextSpan Span)> spans)
    {
        Text = text;
        Spans = spans;
    }

    /// <summary>The source without its marks.</summary>
    public string Text { get; }

    /// <summary>Every mark: its name and the span of the text it wraps, in <see cref="Text"/>.</summary>
    public IReadOnlyList<(string Name, TextSpan Span)> Spans { get; }

    public static SpanMarkup Parse(string markup)
    {
        var text = new System.Text.StringBuilder(markup.Length);
        var open = new Stack<(string Name, int Start)>();
        var spans = new List<(string, TextSpan)>();
        for (var i = 0; i < markup.Length; i++)
        {
            if (markup[i] == '{' && i + 1 < markup.Length && markup[i + 1] == '|')
            {
                var colon = markup.IndexOf(':', i + 2);
                open.Push((markup.Substring(i + 2, colon - i - 2), text.Length));
                i = colon;
            }
            else if (markup[i] == '|' && i + 1 < markup.Length && markup[i + 1] == '}')
            {
                var (name, start) = open.Pop();
                spans.Add((name, TextSpan.FromBounds(start, text.Length)));
                i++;
            }
            else
            {
                text.Append(markup[i]);
            }
        }
        Assert.Empty(open);
        return new SpanMarkup(text.ToString(), spans);
    }
}
