package web

func (s *Server) teamRoutes() []Route { return nil }
