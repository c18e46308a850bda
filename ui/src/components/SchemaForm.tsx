/**
 * A form generated from a JSON Schema (a task's `form`, a definition's start variables) with
 * react-jsonschema-form. Validation is left to the API on purpose: the person sees exactly the
 * messages the server applies (the workflow's own validator for tasks), placed at the field each
 * problem's JSON pointer names, instead of a second, slightly different set from the browser. rjsf still
 * evaluates conditional branches in the browser, with the shared formats and pattern engine (formValidator).
 */
import Form from '@rjsf/core';
import type { ErrorSchema, RJSFSchema, UiSchema } from '@rjsf/utils';
import type { FormEvent, ReactNode } from 'react';
import type { Problem } from '../api/types';
import { DOCUMENT_KEYWORD, VERDICTS_KEYWORD } from '../../../workflows/documents';
import type { DocumentFormContext } from '../lib/documents';
import { formValidator } from '../lib/form-validator';
import { DocumentUploadWidget } from './DocumentUploadWidget';
import { DocumentVerdictsField } from './DocumentVerdictsField';

/** `/client/email` → `{ client: { email: { __errors: [message] } } }`, what rjsf shows under each field. */
function problemsToErrorSchema(problems: Problem[]): ErrorSchema {
  const root: Record<string, unknown> = {};
  for (const problem of problems) {
    const segments = problem.path
      .split('/')
      .slice(1)
      .filter((s) => s !== '')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    let node = root;
    for (const segment of segments) node = (node[segment] ??= {}) as Record<string, unknown>;
    ((node.__errors ??= []) as string[]).push(problem.message);
  }
  return root as ErrorSchema;
}

/** Annotations that are documentation for people (examples) but not form fields. */
function formSchema(schema: Record<string, unknown>): RJSFSchema {
  const { $id: _id, $schema: _schema, examples: _examples, ...rest } = schema;
  return rest as RJSFSchema;
}

/**
 * Free-text strings that may run long (notes, observations) get a text area instead of one line;
 * a document field gets the upload widget, a verdicts field one Accept / Reject per document kind.
 */
function uiSchemaFor(schema: Record<string, unknown>): UiSchema {
  const ui: UiSchema = {};
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, property] of Object.entries(properties)) {
    if (typeof property[DOCUMENT_KEYWORD] === 'string') ui[name] = { 'ui:widget': DocumentUploadWidget };
    else if (Array.isArray(property[VERDICTS_KEYWORD])) ui[name] = { 'ui:field': DocumentVerdictsField };
    else if (property.type === 'object') ui[name] = uiSchemaFor(property);
    // A list of objects (products, each with its image): its items get the same treatment.
    else if (property.type === 'array' && property.items && (property.items as Record<string, unknown>).type === 'object') {
      ui[name] = { items: uiSchemaFor(property.items as Record<string, unknown>) };
    }
    else if (property.type === 'string' && !property.enum && !property.format && (Number(property.maxLength) > 200 || /notes|observations|comments/i.test(name))) {
      ui[name] = { 'ui:widget': 'textarea', 'ui:options': { rows: 3 } };
    }
  }
  return ui;
}

interface Props {
  id: string;
  schema: Record<string, unknown>;
  value: Record<string, unknown>;
  onChange(value: Record<string, unknown>): void;
  onSubmit(value: Record<string, unknown>): void;
  problems: Problem[];
  disabled?: boolean;
  /** The document kinds and the instance's documents, for document and verdict fields. */
  documents?: DocumentFormContext;
  /** Fields and buttons rendered inside the same <form>, after the generated fields. */
  children: ReactNode;
}

export function SchemaForm({ id, schema, value, onChange, onSubmit, problems, disabled, documents, children }: Props) {
  return (
    <Form
      idPrefix={id}
      className="schema-form"
      schema={formSchema(schema)}
      uiSchema={uiSchemaFor(schema)}
      validator={formValidator}
      formContext={documents}
      formData={value}
      noValidate
      noHtml5Validate
      showErrorList={false}
      extraErrors={problemsToErrorSchema(problems)}
      disabled={disabled}
      onChange={(e) => onChange((e.formData ?? {}) as Record<string, unknown>)}
      onSubmit={(e, event: FormEvent) => {
        event.preventDefault();
        onSubmit((e.formData ?? {}) as Record<string, unknown>);
      }}
    >
      {children}
    </Form>
  );
}
