using System.Text;

namespace Herald.Generator
{
    /// <summary>Writes C# text with indentation; generated code is text, not syntax trees.</summary>
    internal sealed class SourceWriter
    {
        private readonly StringBuilder _text = new();
        private int _indent;

        public void Line(string line = "")
        {
            if (line.Length > 0)
                _text.Append(' ', _indent * 4).Append(line);
            _text.Append('\n');
        }

        public void Open(string line)
        {
            Line(line);
            Line("{");
            _indent++;
        }

        public void Close(string suffix = "")
        {
            _indent--;
            Line("}" + suffix);
        }

        public void Indent() => _indent++;

        public void Outdent() => _indent--;

        public override string ToString() => _text.ToString();
    }
}
