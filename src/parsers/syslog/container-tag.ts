/**
 * Whether a syslog program name stands for a container: Docker's syslog and journald log drivers
 * tag a container's lines with its short or full id (`3f2a1b9c8d7e[812]:`) or with a template
 * such as `docker/{{.Name}}`. Such a program's messages are the container's own lines, read by
 * their structure; any other program's are read only by the reader its name picks, since a
 * program may log a client's text first.
 */
export function isContainerTag(program: string): boolean {
  return CONTAINER_TAG.test(program);
}

const CONTAINER_TAG = /^(?:docker[/-]|[0-9a-f]{12}$|[0-9a-f]{64}$)/;
