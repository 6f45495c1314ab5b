import { InlineText } from "./inline-text";

/** Plain guidance text: paragraphs split by blank lines, and runs of "- " lines as bullet lists. */
export function GuidanceText({ text }: { text: string }) {
  const blocks: ({ kind: "p"; text: string } | { kind: "ul"; items: string[] })[] = [];
  for (const line of text.split("\n")) {
    const last = blocks[blocks.length - 1];
    if (line.trim() === "") {
      blocks.push({ kind: "p", text: "" });
    } else if (line.startsWith("- ")) {
      if (last?.kind === "ul") last.items.push(line.slice(2));
      else blocks.push({ kind: "ul", items: [line.slice(2)] });
    } else if (last?.kind === "p") {
      last.text = last.text ? `${last.text} ${line}` : line;
    } else {
      blocks.push({ kind: "p", text: line });
    }
  }
  return (
    <div className="space-y-2">
      {blocks.map((b, i) =>
        b.kind === "ul" ? (
          <ul key={i} className="list-disc space-y-1 pl-5">
            {b.items.map((item, j) => (
              <li key={j}>
                <InlineText text={item} />
              </li>
            ))}
          </ul>
        ) : (
          b.text && (
            <p key={i}>
              <InlineText text={b.text} />
            </p>
          )
        ),
      )}
    </div>
  );
}
