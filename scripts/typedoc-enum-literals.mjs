// A TypeDoc plugin for `npm run docs`: the members of a `z.enum([...])` inside an exported zod schema. TypeDoc lists
// the enum's object type (`{ vertex: 'vertex', gemini: 'gemini' }`) with each literal as a property, which has no
// comment to carry. Such a property — in an object type, named exactly as its string literal — explains itself: it
// gets the comment "The value `'vertex'`." so that `validation.notDocumented` keeps flagging every other export.
import { Comment, Converter, ReflectionKind } from 'typedoc';

/** TypeDoc's plugin entry point. */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    for (const reflection of Object.values(context.project.reflections)) {
      if (!reflection.kindOf(ReflectionKind.Property) || reflection.hasComment()) continue;
      const { type, parent } = reflection;
      const isEnumLiteral = type?.type === 'literal' && type.value === reflection.name;
      if (isEnumLiteral && parent?.kindOf(ReflectionKind.TypeLiteral)) {
        reflection.comment = new Comment([{ kind: 'text', text: `The value \`'${reflection.name}'\`.` }]);
      }
    }
  });
}
