/**
 * The flowchart of one definition version, rendered by Mermaid. Mermaid is loaded on first use
 * (it is most of the app's weight) and its SVG is put into the page as Mermaid sanitised it
 * (securityLevel strict).
 */
import { useEffect, useId, useState } from 'react';
import { asApiError, type ApiError } from '../api/client';
import type { ProcessDefinition } from '../api/types';
import { definitionToMermaid } from '../diagram/toMermaid';
import { ErrorMessage, Loading } from './States';

let mermaidReady: Promise<typeof import('mermaid').default> | undefined;

function loadMermaid() {
  mermaidReady ??= import('mermaid').then(({ default: mermaid }) => {
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'neutral', flowchart: { htmlLabels: true, useMaxWidth: true } });
    return mermaid;
  });
  return mermaidReady;
}

export function ProcessDiagram({ definition, caption }: { definition: ProcessDefinition; caption: string }) {
  const source = definitionToMermaid(definition);
  const renderId = `diagram-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const [state, setState] = useState<{ svg?: string; error?: ApiError }>({});

  useEffect(() => {
    let current = true;
    setState({});
    loadMermaid()
      .then((mermaid) => mermaid.render(renderId, source))
      .then(({ svg }) => current && setState({ svg }))
      .catch((err: unknown) => current && setState({ error: asApiError(err) }));
    return () => {
      current = false;
    };
  }, [source, renderId]);

  return (
    <figure className="diagram">
      {state.svg ? (
        <div className="diagram-svg" role="img" aria-label={caption} dangerouslySetInnerHTML={{ __html: state.svg }} />
      ) : state.error ? (
        <ErrorMessage error={state.error} title="The diagram could not be drawn" />
      ) : (
        <Loading verb="Drawing" what="the diagram" />
      )}
      <figcaption>{caption}</figcaption>
      <details>
        <summary>Diagram source (Mermaid)</summary>
        <pre>{source}</pre>
      </details>
    </figure>
  );
}
