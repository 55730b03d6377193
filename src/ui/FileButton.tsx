import { useEffect, useRef } from 'react';

/**
 * A real button that opens the file picker (the input itself stays hidden but reachable by tests). With `directory`
 * it picks a folder (a patient's slices and masks) instead: the only way to give a folder where dragging is not possible.
 */
export function FileButton(props: {
  label: string;
  onFiles: (files: File[], at: number) => void;
  accept?: string;
  testId?: string;
  primary?: boolean;
  directory?: boolean;
  id?: string;
}) {
  const input = useRef<HTMLInputElement>(null);
  // React does not know webkitdirectory; every current browser supports it (Chromium, Firefox, Safari).
  useEffect(() => {
    if (props.directory) input.current?.setAttribute('webkitdirectory', '');
    else input.current?.removeAttribute('webkitdirectory');
  }, [props.directory]);
  return (
    <>
      <button type="button" id={props.id} className={props.primary ? 'btn primary' : 'btn'} onClick={() => input.current?.click()}>
        {props.label}
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        data-testid={props.testId}
        accept={props.directory ? undefined : (props.accept ?? '.tif,.tiff,.png,.jpg,.jpeg,image/tiff,image/png,image/jpeg')}
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
