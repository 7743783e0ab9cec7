/** The accessible wiring of a form field: its hint, and its error once there is one. */
export function fieldProps(id: string, error: string | undefined, hint: boolean) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': described || undefined,
  } as const;
}

/** The error of a field, next to it (the field's aria-describedby names it). */
export function FieldMessage({ id, message }: { readonly id: string; readonly message: string | undefined }) {
  return message ? (
    <p id={`${id}-error`} className="field-error">
      {message}
    </p>
  ) : null;
}
