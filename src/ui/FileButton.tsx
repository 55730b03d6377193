import { useRef } from 'react';

/** A real button that opens the file picker (the input itself stays hidden but reachable by tests). */
export function FileButton(props: { label: string; onFiles: (files: File[], at: number) => void; accept?: string; testId?: string; primary?: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className={props.primary ? 'btn primary' : 'btn'} onClick={() => input.current?.click()}>
        {props.label}
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        data-testid={props.testId}
        accept={props.accept ?? '.tif,.tiff,.png,.jpg,.jpeg,image/tiff,image/png,image/jpeg'}
        onChange={(e) => {
          const at = performance.now();
          const files = Array.from(e.currentTarget.files ?? []);
          e.currentTarget.value = '';
          props.onFiles(files, at);
        }}
      />
    </>
  );
}
